"""Sessions in the database with the shared cache in front (Django's ``cached_db``), for the
production profile (``GONGKAI_CACHE_URL=redis://…``).

Django's backend already survives a cache that fails while *saving*; it still answers 500 when the
cache cannot be reached while a new session's key is checked (``exists``) or after a session was read
from the database. A Redis restart must cost a database read, never a citizen's submission: here
those calls fall back to the database. Deleting a session (logout) still fails loudly when the
cache cannot be reached, as in Django: a logged-out session must not live on in the cache.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import cached_db, db

logger = logging.getLogger("gongkai.ops.sessions")


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # noqa: BLE001 - unreachable or refused key: read the database
            data = None
        if data is not None:
            return data
        s = self._get_session_from_db()
        if not s:
            return {}
        data = self.decode(s.session_data)
        try:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=s.expire_date))
        except Exception:  # noqa: BLE001 - the database holds it
            logger.warning("session cache unavailable: read from the database")
        return data

    def exists(self, session_key):
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:  # noqa: BLE001 - the database is the authority
            logger.warning("session cache unavailable: checked the database")
        return db.SessionStore.exists(self, session_key)

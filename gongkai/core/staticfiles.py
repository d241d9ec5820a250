"""Static files storage: whitenoise's hashed, compressed names, forgiving a file not collected.

``gongkai serve`` runs ``collectstatic`` before it starts, so the demo and production get
hashed names and far-future caching. Where nothing was collected (the test suite, a
``manage.py`` shell) a template's ``{% static %}`` falls back to the plain name instead of
raising, so turning DEBUG off never turns a page into a 500.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:  # not in the manifest (or no manifest): serve it under its own name
            return name

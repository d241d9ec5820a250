"""ALLOWED_HOSTS that also accept the host names offices configured for their subsites.

``settings.ALLOWED_HOSTS`` is an :class:`AllowedHosts`: the operator's list first (so a platform
host is matched without reading anything), then the subsite hosts of ``SiteSettings`` (through
``site.host_map``, cached per generation of the page cache, which every settings save bumps).
A host in neither is refused by Django with its 400, as before. This module imports no model at
import time: ``gongkai.settings`` imports it before the apps are loaded.
"""

from __future__ import annotations

from collections.abc import Iterator


def configured_hosts() -> list[str]:
    """The subsite host names offices configured (active organs only); none while the apps load or the
    table is missing (a fresh database before ``migrate``)."""
    from django.apps import apps

    if not apps.ready:
        return []
    try:
        from .site import host_map

        return sorted(host_map())
    except Exception:  # noqa: BLE001 - no settings table yet, or the database is down: the operator's list only
        return []


class AllowedHosts(list):
    """The operator's host list, extended at each check by the configured subsite hosts.

    ``len()`` and ``bool()`` are the operator's list (Django's DEBUG default applies only when that list
    is empty); iteration, which ``validate_host`` uses, goes on to the configured hosts only when no
    operator pattern matched first."""

    def __iter__(self) -> Iterator[str]:
        yield from super().__iter__()
        yield from configured_hosts()

    def __contains__(self, host: object) -> bool:
        return any(host == pattern for pattern in self)

    def __add__(self, other):
        return AllowedHosts([*list.__iter__(self), *other])

    def __reduce__(self):
        return (AllowedHosts, (list(list.__iter__(self)),))

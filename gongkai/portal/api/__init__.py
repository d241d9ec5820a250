"""The public read API (/api/v1/, docs/adr/0010-public-api.md) and the open-data files.

Everything here reads through the public doors of the apps below (``Record.objects.public()``
and each app's ``public_*`` selectors); nothing writes.
"""

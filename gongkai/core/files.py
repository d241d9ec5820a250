"""Files owned by rows go with the rows: when a row with a FileField is deleted (directly or by
a cascade — a deleted draft's attachments, an erased applicant's uploads), its stored files are
deleted once the transaction commits, never before (a rollback keeps row and file together).

Connected for every model in ``CoreConfig.ready``: a receiver rather than code in each service,
because cascades delete rows no service sees.
"""

from __future__ import annotations

import logging

from django.db import models, router, transaction

log = logging.getLogger(__name__)


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def delete_files_on_commit(files: list[tuple[object, str]], *, using: str | None = None) -> None:
    """Delete each (storage, name) after the current transaction commits (at once outside one)."""

    def delete() -> None:
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError:  # the row is gone either way; a stray file is logged, not fatal
                log.warning("Could not delete stored file %s", name, exc_info=True)

    if files:
        transaction.on_commit(delete, using=using)


def delete_owned_files(sender, instance: models.Model, using: str | None = None, **kwargs) -> None:
    """post_delete receiver: schedule the deletion of every file the deleted row owned."""
    files = []
    for field in _file_fields(sender):
        value = getattr(instance, field.attname, None)
        name = getattr(value, "name", value)
        if name:
            files.append((field.storage, str(name)))
    delete_files_on_commit(files, using=using or router.db_for_write(sender))

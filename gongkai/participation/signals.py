"""Participation listens to the records below it (records never import participation).

``records.services.record_changed`` is sent after commit by every records service
that may change what is public or in force (validity, withdrawal, publication):
the 口径库 entries resting on those records are checked and flagged for review.
"""

from __future__ import annotations


def on_record_changed(sender, record_ids=(), **kwargs) -> None:
    from .services.answers import answers_flag_for_records

    answers_flag_for_records(record_ids=record_ids)

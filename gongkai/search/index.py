"""Keeping the index equal to ``Record.objects.public()``: build documents, sync, rebuild.

Every write goes through :func:`index_sync` (called on commit by the
``record_changed`` signal, by organ changes and by ``gongkai reindex``): it
removes the records' rows and adds back exactly those that
``Record.objects.public()`` returns now.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.records.models import Attachment, Record, Validity

from . import malloc, text
from .backends import get_backend
from .models import SearchDoc, SearchState
from .signals import RECORDS_INDEX, send_index_changed

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
BATCH = 500


def doc_key(*, in_force: bool, published_at: dt.datetime, serial: int) -> int:
    """Row id that sorts best-first when descending: 现行有效, then newer (by day), then later indexed.

    Kept below 2**49: SQLite 3.40's FTS5 loses rows in ``ORDER BY rowid DESC``
    when consecutive row ids differ by about 2**60 (found by the benchmark's
    total-versus-keys check; tests/search/test_backends.py guards it).
    """
    days = max(0, (published_at - EPOCH).days)
    return (int(in_force) << 48) | (min(days, 0xFFFF) << 32) | (serial & 0xFFFFFFFF)


def in_force(record: Record, today: dt.date) -> bool:
    return _in_force(record.validity, record.valid_until, today, record.valid_from)


def _in_force(validity: str, valid_until: dt.date | None, today: dt.date,
              valid_from: dt.date | None = None) -> bool:
    """现行有效 (Record.objects.in_force): valid, 施行日期 reached, 有效期 not passed."""
    return (validity == Validity.VALID and not (valid_until and valid_until < today)
            and not (valid_from and valid_from > today))


def _key_order(today: dt.date) -> list[int]:
    """Public record ids in the order of the keys a rebuild gives them (by 现行有效 and day, then id).

    Serials are handed out in this order, so keys ascend through the whole
    rebuild and FTS5's segments hold disjoint row-id ranges: the final
    optimize then appends doclists instead of interleaving them (a 100,000-record
    optimize took 32-45 s with keys in record order, 15-16 s with ascending keys).
    """
    rows = Record.objects.public().values_list("pk", "validity", "valid_until", "published_at", "valid_from")
    return [row[0] for row in sorted(rows, key=lambda row: (
        doc_key(in_force=_in_force(row[1], row[2], today, row[4]), published_at=row[3], serial=0), row[0]))]


def record_fields(record: Record, attachments: Iterable[Attachment]) -> tuple[str, ...]:
    """What is indexed, in :func:`text.record_tokens` order: title, 发文字号, summary, keywords, body HTML, attachments."""
    fields = [record.title, record.doc_no, record.summary, record.keywords, record.body]
    for att in attachments:
        fields.append(att.name)
        fields.append(att.text)
    return tuple(fields)


def _public_records(ids: Iterable[int] | None):
    qs = Record.objects.public().select_related("genre").only(
        "id", "title", "doc_no", "summary", "keywords", "body", "organ_id", "genre__is_interpretation", "topic_id",
        "published_at", "validity", "valid_until", "interprets_id", "written_on",
    )
    return qs if ids is None else qs.filter(pk__in=list(ids))


def _take_serials(n: int) -> int:
    """Reserve ``n`` serials; returns the first."""
    with transaction.atomic():
        state, _ = SearchState.objects.select_for_update().get_or_create(pk=1)
        first = state.serial + 1
        state.serial += n
        state.save(update_fields=["serial"])
    return first


WORKER_THRESHOLD = 4 * BATCH  # fewer records than this are tokenized here, without starting a process


def pipelined(batches: Iterable[tuple[object, list[tuple[str, ...]]]],
              write: Callable[[object, object], None], *, prepare: Callable = text.tokenize_batch,
              worker: bool = True, workers: int = 1) -> None:
    """Tokenize batch k+1 in a worker process while batch k is written here.

    Each batch is (anything, the records' fields); ``write`` gets it back with
    what ``prepare`` (the backend's) made of the fields. Tokenizing is pure Python and holds the GIL;
    in a thread it made the writing thread wait for the GIL after every row
    the database driver wrote (the benchmark indexed 600 records/s that way).
    A separate process gives both cores to the work. Both keep the memory
    they free for the next batch (:mod:`.malloc`).
    """
    if not worker:
        for meta, fields in batches:
            write(meta, prepare(fields))
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    def tokens(fields, future):
        try:
            if future is None:
                raise BrokenProcessPool
            return future.result()
        except BrokenProcessPool:
            # The worker could not start (e.g. a script without an
            # ``if __name__ == "__main__"`` guard, which spawning runs again):
            # tokenize here instead; nothing is lost, it is only slower.
            return prepare(fields)

    with (malloc.retained(),
          ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                              initializer=malloc.keep) as pool):
        pending: deque = deque()
        for meta, fields in batches:
            try:
                future = pool.submit(prepare, fields)
            except BrokenProcessPool:
                future = None  # tokens() tokenizes it here
            pending.append((meta, fields, future))
            if len(pending) > workers:
                meta_done, fields_done, future = pending.popleft()
                write(meta_done, tokens(fields_done, future))
        while pending:
            meta_done, fields_done, future = pending.popleft()
            write(meta_done, tokens(fields_done, future))


def _load(record_ids: list[int]) -> tuple[list[Record], dict[int, list[Attachment]]]:
    position = {pk: i for i, pk in enumerate(record_ids)}
    records = sorted(_public_records(record_ids), key=lambda rec: position[rec.pk])  # in the order given
    attachments: dict[int, list[Attachment]] = {}
    for att in Attachment.objects.filter(record__in=records, withheld=False).only(
        "record_id", "name", "text", "order"
    ).order_by("record_id", "order", "id"):
        attachments.setdefault(att.record_id, []).append(att)
    return records, attachments


def _describe(loaded: tuple[list[Record], dict[int, list[Attachment]]], today: dt.date, serial: int
              ) -> tuple[list[SearchDoc], list[tuple[str, ...]]]:
    """The index rows of loaded records (keys from ``serial`` on) and the fields to tokenize."""
    records, attachments = loaded
    docs, fields = [], []
    for i, rec in enumerate(records):
        force = in_force(rec, today)
        key = doc_key(in_force=force, published_at=rec.published_at, serial=serial + i)
        docs.append(SearchDoc(
            key=key, record_id=rec.pk, doc_no=rec.doc_no, organ_id=rec.organ_id, genre_id=rec.genre_id,
            topic_id=rec.topic_id, year=timezone.localtime(rec.published_at).year, in_force=force,
            validity=Validity.EXPIRED if rec.validity == Validity.VALID and not force else rec.validity,
            valid_until=rec.valid_until, published_at=rec.published_at, is_interpretation=rec.genre.is_interpretation,
            interprets_id=rec.interprets_id, title_grams=len(rec.title),
        ))
        fields.append(record_fields(rec, attachments.get(rec.pk, ())))
    return docs, fields


def bump_generation() -> None:
    """Mark the index as changed (in the caller's transaction): processes reload their copy of the metadata."""
    token = secrets.token_hex(8)
    if not SearchState.objects.filter(pk=1).update(generation=token):
        SearchState.objects.update_or_create(pk=1, defaults={"generation": token})
    send_index_changed(RECORDS_INDEX)


def _write(docs: list[SearchDoc], prepared) -> int:
    if docs:
        with transaction.atomic():
            SearchDoc.objects.bulk_create(docs)  # first: a backend merging segments keeps the keys found here
            get_backend().insert([doc.key for doc in docs], prepared)
            bump_generation()
    return len(docs)


def _add(record_ids: list[int], today: dt.date) -> int:
    loaded = _load(record_ids)
    if not loaded[0]:
        return 0
    docs, fields = _describe(loaded, today, _take_serials(len(loaded[0])))
    return _write(docs, get_backend().prepare(fields))


def _remove(record_ids: list[int]) -> int:
    keys = list(SearchDoc.objects.filter(record_id__in=record_ids).values_list("key", flat=True))
    if keys:
        with transaction.atomic():
            SearchDoc.objects.filter(key__in=keys).delete()
            get_backend().delete(keys)
            bump_generation()
    return len(keys)


def index_sync(record_ids: Iterable[int], *, today: dt.date | None = None) -> tuple[int, int]:
    """Make the index hold exactly the public ones of ``record_ids``. Returns (removed, added)."""
    ids = sorted({int(i) for i in record_ids})
    today = today or timezone.localdate()
    removed = added = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        removed += _remove(chunk)
        added += _add(chunk, today)
    return removed, added


def index_sync_organ(organ_id: int) -> tuple[int, int]:
    """After an organ is deactivated or activated again: drop or restore its records."""
    indexed = set(SearchDoc.objects.filter(organ_id=organ_id).values_list("record_id", flat=True))
    public = set(Record.objects.public().filter(organ_id=organ_id).values_list("pk", flat=True))
    return index_sync(indexed ^ public)


def index_sweep_expired(*, today: dt.date | None = None) -> int:
    """Re-rank records whose 有效期 has passed since they were indexed (现行有效 → 已失效). Once a day."""
    today = today or timezone.localdate()
    if SearchState.objects.filter(pk=1, expiry_swept_on=today).exists():
        return 0  # the common case, without taking the write lock
    with transaction.atomic():
        state, _ = SearchState.objects.select_for_update().get_or_create(pk=1)
        if state.expiry_swept_on == today:
            return 0
        state.expiry_swept_on = today
        state.save(update_fields=["expiry_swept_on"])
    stale = list(SearchDoc.objects.filter(in_force=True, valid_until__lt=today).values_list("record_id", flat=True))
    # 尚未施行 until today: now 现行有效
    stale += list(SearchDoc.objects.filter(in_force=False, validity=Validity.VALID, record__valid_from__lte=today)
                  .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today)).values_list("record_id", flat=True))
    if stale:
        index_sync(stale, today=today)
    return len(stale)


BATCH_CHARACTERS = 60_000_000  # a batch of a rebuild holds at most about this much text (a worker's memory)


def by_size(docs: list, fields: list[tuple[str, ...]], limit: int = BATCH_CHARACTERS):
    """Cut a batch where its text passes ``limit`` characters (records with very large attachments)."""
    start, size = 0, 0
    for i, f in enumerate(fields):
        n = sum(len(x) for x in f if x)
        if size and size + n > limit:
            yield docs[start:i], fields[start:i]
            start, size = i, 0
        size += n
    if start < len(fields):
        yield docs[start:], fields[start:]


def index_rebuild(*, progress: Callable[[int], None] | None = None, total_hint: Callable[[int], None] | None = None) -> int:
    """Drop everything and index every public record again (``gongkai reindex``)."""
    backend = get_backend()
    with transaction.atomic():
        SearchDoc.objects.all().delete()
        backend.reset()
        SearchState.objects.update_or_create(pk=1, defaults={"orphans": 0, "expiry_swept_on": timezone.localdate()})
        bump_generation()
    today = timezone.localdate()
    ids = _key_order(today)
    if total_hint:
        total_hint(len(ids))
    done = 0

    def batches():
        size = backend.rebuild_batch
        for start in range(0, len(ids), size):
            loaded = _load(ids[start:start + size])
            yield from by_size(*_describe(loaded, today, _take_serials(len(loaded[0]))))

    def write(docs, tokens):
        nonlocal done
        done += _write(docs, tokens)
        if progress:
            progress(len(docs))

    with backend.bulk_load():
        pipelined(batches(), write, prepare=backend.prepare, worker=len(ids) >= WORKER_THRESHOLD,
                  workers=backend.workers)
    backend.optimize()
    return done


def index_repair(*, progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Make the index equal to the one door again (``gongkai serve`` at start): rebuild if empty, else sync the difference.

    An index emptied by a migration that changed its tables, or records
    changed while the index could not be written, are caught up here.
    Returns (removed, added).
    """
    indexed = set(SearchDoc.objects.values_list("record_id", flat=True))
    public = set(Record.objects.public().values_list("pk", flat=True))
    if not indexed and public:
        return 0, index_rebuild(progress=progress)
    return index_sync(indexed ^ public)


def index_check() -> dict[str, int]:
    """How the index compares with the one door (for tests and ``reindex --check``)."""
    indexed = set(SearchDoc.objects.values_list("record_id", flat=True))
    public = set(Record.objects.public().values_list("pk", flat=True))
    return {"indexed": len(indexed), "public": len(public), "missing": len(public - indexed),
            "extra": len(indexed - public), "vendor": connection.vendor}

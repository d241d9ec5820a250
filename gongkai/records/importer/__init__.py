"""Import a folder of documents with a metadata file (``gongkai import DIR``).

Two steps, so that an import is all or nothing:

1. :func:`import_plan` reads the metadata file and every document, checks every
   row and works out, per row, what would be created, changed or skipped. It
   only reads: nothing is written, no index serial is taken. Every problem is
   collected (not only the first) as a :class:`Problem` naming the file, the
   row and the field, in Chinese.
2. :func:`import_apply` carries out a plan without problems inside one
   transaction through the record services (``record_create``,
   ``record_update``, ``attachment_add``); if anything fails late, the
   transaction is rolled back and the attachment files already stored are
   deleted again.

A row matches an existing record of the same organ with the same 发文字号, or,
when the row has no 发文字号 (or none matches), the same 标题 and 成文日期. A
matched draft (or a record returned for changes) is updated with the row's
values; a matched record already in review or published is left alone and
reported as skipped. See docs/import.md for the format.

The package follows the steps: :mod:`.columns` (the columns and how their
values are written), :mod:`.reading` (the metadata file), :mod:`.converting`
(a document's body as HTML), :mod:`.lookup` (organs, genres, topics by name),
:mod:`.checking` (one row), :mod:`.planning` (the whole file, against the
platform), :mod:`.applying` (the writes), and :mod:`.results` (what a plan is
made of).
"""

from .applying import AUTO_REVIEW_OPINION, import_apply
from .columns import COLUMNS, column_label, parse_date, parse_datetime
from .converting import BODY_EXTENSIONS, document_body, docx_to_html, html_body
from .lookup import Lookup
from .planning import import_plan
from .reading import METADATA_NAMES, read_metadata
from .results import ImportFailed, ImportPlan, Problem, RowPlan

__all__ = [
    "AUTO_REVIEW_OPINION",
    "BODY_EXTENSIONS",
    "COLUMNS",
    "METADATA_NAMES",
    "ImportFailed",
    "ImportPlan",
    "Lookup",
    "Problem",
    "RowPlan",
    "column_label",
    "document_body",
    "docx_to_html",
    "html_body",
    "import_apply",
    "import_plan",
    "parse_date",
    "parse_datetime",
    "read_metadata",
]

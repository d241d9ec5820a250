"""The work-plan parser: pure Python, no Django (DESIGN.md, "pure domain modules").

``parse_text(text)`` and ``parse_file(data, filename)`` return a
:class:`ParsedPlan`; ``ParsedPlan.to_dict()`` is the JSON that
``gongkai workplan parse FILE --format json`` prints.
"""

from .deadlines import find_deadlines, parse_deadline_cell
from .model import Deadline, Item, Note, ParsedPlan, Units
from .plan import parse_blocks, parse_file, parse_text
from .sources import SourceError, Table, read_blocks

__all__ = [
    "Deadline",
    "Item",
    "Note",
    "ParsedPlan",
    "SourceError",
    "Table",
    "Units",
    "find_deadlines",
    "parse_blocks",
    "parse_deadline_cell",
    "parse_file",
    "parse_text",
    "read_blocks",
]

"""String enums whose members carry a Chinese ``label``.

The pure statutory modules (the working-day calendar, the application clock,
the fee tariff) name their kinds with :class:`LabelledStrEnum`; Django code uses
``models.TextChoices``, which has the same ``value, label`` shape. This module
sits below every app (``gongkai.workdays`` included) and imports no Django.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

__all__ = ["LabelledStrEnum"]


class LabelledStrEnum(StrEnum):
    """A :class:`~enum.StrEnum` whose members are declared ``NAME = value, label``.

    >>> class Colour(LabelledStrEnum):
    ...     RED = "red", "红色"
    >>> Colour.RED == "red", Colour.RED.label
    (True, '红色')
    """

    label: str

    def __new__(cls, value: str, label: str) -> Self:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

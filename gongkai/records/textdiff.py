"""What changed between two versions of a text, character by character (Chinese has no spaces to
split words on, so characters are the unit a reader compares). Pure Python."""

from __future__ import annotations

from difflib import SequenceMatcher


def diff_segments(old: str, new: str) -> list[tuple[str, str]]:
    """``[(op, text)]`` with op ``=`` (unchanged), ``-`` (removed) or ``+`` (added), in reading order."""
    segments: list[tuple[str, str]] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(("=", old[i1:i2]))
        else:
            if i2 > i1:
                segments.append(("-", old[i1:i2]))
            if j2 > j1:
                segments.append(("+", new[j1:j2]))
    return segments


def changed(segments: list[tuple[str, str]]) -> bool:
    return any(op != "=" for op, _ in segments)

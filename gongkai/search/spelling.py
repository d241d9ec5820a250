"""“您是不是要找”: near-misses of the index's own words (征务公开 → 政务公开). Pure Python.

The vocabulary is what the index holds: the government terms of the user dictionary and the
words of the public titles, each with a weight (how many titles use it; dictionary terms weigh
more). A word of the query that is not in the vocabulary is replaced by the heaviest word of
the same length that differs in one character — the usual slip of a Chinese input method, which
picks a homophone (征/政, 信/性) — or, failing that, by one with a character more or less.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

MIN_LEN, MAX_LEN = 2, 10


def _masks(word: str) -> list[str]:
    """The word with each character in turn replaced by a wildcard (same-length neighbours)."""
    return [word[:i] + "\0" + word[i + 1:] for i in range(len(word))]


def _deletions(word: str) -> list[str]:
    return [word[:i] + word[i + 1:] for i in range(len(word))]


def _cjk(word: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in word)


@dataclass
class Vocabulary:
    weights: Counter = field(default_factory=Counter)
    _by_mask: dict[str, list[str]] = field(default_factory=dict)
    _by_deletion: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, titles: Iterable[str], cut: Callable[[str], list[str]], terms: Iterable[str] = ()) -> Vocabulary:
        weights: Counter = Counter()
        for title in titles:
            weights.update({w for w in cut(title) if MIN_LEN <= len(w) <= MAX_LEN and _cjk(w)})
        for term in terms:
            if MIN_LEN <= len(term) <= MAX_LEN:
                weights[term] += 1000  # the dictionary's own terms win a tie with a title's word
        vocab = cls(weights=weights)
        for word in weights:
            for mask in _masks(word):
                vocab._by_mask.setdefault(mask, []).append(word)
            for shorter in _deletions(word):
                vocab._by_deletion.setdefault(shorter, []).append(word)
        return vocab

    def __contains__(self, word: str) -> bool:
        return word in self.weights

    def nearest(self, word: str) -> str | None:
        """The heaviest known word one character away from ``word`` (None if it is known or has none)."""
        if word in self.weights or not (MIN_LEN <= len(word) <= MAX_LEN) or not _cjk(word):
            return None
        same = {w for m in _masks(word) for w in self._by_mask.get(m, ()) if w != word}
        if same:
            return max(same, key=lambda w: (self.weights[w], w))
        near = set(self._by_deletion.get(word, ()))  # a character was left out
        near |= {w for d in _deletions(word) if len(d) >= MIN_LEN for w in (d,) if w in self.weights}  # one too many
        return max(near, key=lambda w: (self.weights[w], w)) if near else None

    def _same_length(self, word: str) -> str | None:
        same = {w for m in _masks(word) for w in self._by_mask.get(m, ()) if w != word}
        return max(same, key=lambda w: (self.weights[w], w)) if same else None

    def correct(self, pieces: Iterable[str], cut: Callable[[str], list[str]]) -> list[str]:
        """The pieces with an unknown word replaced by its nearest known word (unchanged if none):
        the whole piece, else the longest window of it (三 characters or more) that is one
        character off a known word, else each of its words."""
        out = []
        for piece in pieces:
            if piece in self.weights or all(w in self.weights or len(w) < MIN_LEN or not _cjk(w) for w in cut(piece)):
                out.append(piece)  # every word of it is known: nothing to correct
                continue
            fixed = self.nearest(piece)
            if fixed is None:
                fixed = self._window(piece)
            if fixed is None:
                words = cut(piece)
                fixed = "".join(self.nearest(w) or w if len(w) >= MIN_LEN else w for w in words)
            out.append(fixed)
        return out

    def _window(self, piece: str) -> str | None:
        for size in range(min(len(piece) - 1, MAX_LEN), 2, -1):
            for i in range(len(piece) - size + 1):
                window = piece[i:i + size]
                if window in self.weights or not _cjk(window):
                    continue
                fix = self._same_length(window)
                if fix:
                    return piece[:i] + fix + piece[i + size:]
        return None

"""Weighted tables: the demo draws every name, size and share from one of these, with
the province's seeded ``random.Random`` (members/demo/rosters.py), so a seed gives the
same data every time."""

from __future__ import annotations

import bisect
import itertools
import random

from portal.text import fold


class Weighted:
    """Items with weights, drawn in O(log n) from a ``random.Random``."""

    __slots__ = ("cumulative", "items", "total")

    def __init__(self, weights: dict):
        self.items = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))
        self.total = self.cumulative[-1]

    @classmethod
    def parse(cls, text: str) -> Weighted:
        """ "Nguyễn 38, Trần 11, Rơ Châm 12" -> weights (an item may hold spaces)."""
        weights = {}
        for part in text.split(","):
            item, weight = part.strip().rsplit(" ", 1)
            weights[item] = weights.get(item, 0) + float(weight)
        return cls(weights)

    @classmethod
    def uniform(cls, text: str) -> Weighted:
        """ "a, b, c" -> equal weights."""
        return cls({item.strip(): 1 for item in text.split(",")})

    def pick(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]

    def as_dict(self) -> dict:
        previous = 0.0
        weights = {}
        for item, cumulative in zip(self.items, self.cumulative, strict=True):
            weights[item] = cumulative - previous
            previous = cumulative
        return weights


def blend(*tables: Weighted) -> Weighted:
    """The average of several tables, each normalised to 1."""
    blended: dict = {}
    for table in tables:
        for item, weight in table.as_dict().items():
            blended[item] = blended.get(item, 0.0) + weight / table.total
    return Weighted(blended)


def loose_key(name: str) -> str:
    """ "Bà Rịa - Vũng Tàu" -> "bariavungtau": province names matched loosely."""
    return "".join(ch for ch in fold(name) if ch.isalnum())

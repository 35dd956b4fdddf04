"""Small helpers shared by the shop modules."""

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Iterator, List, TypeVar

T = TypeVar("T")

_NON_WORD = re.compile(r"[^a-z0-9]+")


def round_money(value: Decimal) -> Decimal:
    """Rounds to cents, halves away from zero (as cashiers do)."""
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def slugify(text: str) -> str:
    """Lower-cases `text` and joins its words with dashes.

    >>> slugify("Blue Mug, 300 ml")
    'blue-mug-300-ml'
    """
    return _NON_WORD.sub("-", text.lower()).strip("-")


def chunked(items: Iterable[T], size: int) -> Iterator[List[T]]:
    """Yields lists of at most `size` items, in order."""
    if size < 1:
        raise ValueError("size must be positive")
    chunk: List[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def format_price(amount: Decimal, currency: str = "EUR") -> str:
    """Formats an amount for display, e.g. ``12.50 EUR``."""
    return f"{round_money(amount):.2f} {currency}"

"""French progress lines on stderr, and the error that stops a drill with a French message."""

from __future__ import annotations

import sys
import time

_STARTED = time.monotonic()


class StressError(Exception):
    """A drill that cannot run or that failed: its message is French and says what to do."""


def say(message: str) -> None:
    elapsed = french_number(time.monotonic() - _STARTED, 1)
    print(f"[{elapsed} s] {message}", file=sys.stderr, flush=True)


def french_number(value: float, digits: int = 0) -> str:
    """1234.5 → « 1 234,5 » (narrow no-break space between thousands)."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u202f").replace(".", ",")

"""Hand the C heap's free pages back to the OS (glibc's malloc_trim; a no-op elsewhere).

CPython keeps freed small objects in its arenas and glibc keeps freed blocks at the top of
the heap: after a start-up has parsed a large base, tens of MB of the process's private memory
are free but still held (measured at 10,000 documents: 26 MB returned by one call, ~1 ms).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS)
        return None


_TRIM = _malloc_trim()


def return_free_heap() -> bool:
    """Give free heap pages back to the OS; False where the C library cannot."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True

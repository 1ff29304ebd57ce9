"""Keep a process's resident share of its memory-mapped files bounded.

Not part of the saved snapshot's format (nlp/columns.py is): tuning it never rebuilds a store.
"""

from __future__ import annotations

import mmap
import os

PAGE = 4096
DEFAULT_PAGE_LIMIT = 32 << 20


class PageBudget:
    """How much of its mapped files a process keeps resident before handing pages back.

    Reading a mapped table or index leaves its pages in the process's RSS until the OS needs
    them, and a fault may map a whole large folio (up to megabytes), not just the page read.
    Readers charge what they read; every `check_every` bytes the process's resident
    file-backed memory is read from /proc, and past `limit` bytes of growth every tracked
    mapping is told MADV_DONTNEED: its pages leave this process (the OS file cache may keep
    them, so reading one again costs a minor fault, not a disk read). Safe while other
    threads read: the mappings are read-only, so a dropped page is read from the file again.
    """

    def __init__(self, limit: int = DEFAULT_PAGE_LIMIT, check_every: int = 1 << 20) -> None:
        self.limit = limit
        self.check_every = check_every
        self.maps: list[mmap.mmap] = []
        self._charged = 0
        self._baseline = resident_file_bytes()

    def track(self, mapping: mmap.mmap) -> None:
        """Release this mapping's pages along with the others."""
        self.maps.append(mapping)

    def charge(self, nbytes: int) -> None:
        """Count bytes just read; release everything once resident growth passes the limit."""
        self._charged += nbytes
        if self._charged < self.check_every:
            return
        resident = resident_file_bytes()
        if resident is None:  # no /proc: trust the charged bytes alone
            if self._charged > self.limit:
                self.release()
            return
        self._charged = 0
        if self._baseline is None or resident - self._baseline > self.limit:
            self.release()

    def release(self) -> None:
        """Hand every tracked mapping's resident pages back to the OS."""
        for mapping in self.maps:
            mapping.madvise(mmap.MADV_DONTNEED)
        self._charged = 0
        self._baseline = resident_file_bytes()


_statm: list[int] = []  # a descriptor of /proc/self/statm, opened once (pread re-reads it)


def resident_file_bytes() -> int | None:
    """Return this process's resident file-backed memory (None where /proc is missing)."""
    try:
        if not _statm:
            _statm.append(os.open("/proc/self/statm", os.O_RDONLY))
        fields = os.pread(_statm[0], 128, 0).split()
        shared = int(fields[2])  # resident pages backed by files (or shared memory)
    except (OSError, IndexError, ValueError):
        return None
    return shared * PAGE

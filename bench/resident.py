"""Hold a store file in memory while it is measured.

This project's machine is a VM whose kernel pages out file pages idle for a minute (DAMON
reclaim: `/sys/kernel/mm/damon/admin/kdamonds/0`, action `pageout`, age ≥ 12 × 5 s), so
between runs, and for pages a run touches once, a 6 GB store is read from the virtual disk:
the p99 of a 1M-event store then measures that disk, not the queries. A database host keeps
its working set in memory; `resident()` gives both sizes that condition alike by mapping the
file with MAP_POPULATE | MAP_LOCKED (read in once, never reclaimed) until it returns."""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROT_READ, MAP_SHARED, MAP_POPULATE, MAP_LOCKED = 0x1, 0x01, 0x8000, 0x2000


@contextmanager
def resident(path: Path) -> Iterator[bool]:
    """Yields whether the file is held (False where the kernel refuses: too little memory,
    no right to lock it); the measurement goes on either way and says which it had."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [
        ctypes.c_void_p,
        ctypes.c_size_t,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_long,
    ]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        flags = MAP_SHARED | MAP_POPULATE | MAP_LOCKED
        address = libc.mmap(None, size, PROT_READ, flags, fd, 0)
        held = address not in (None, ctypes.c_void_p(-1).value)
        try:
            yield held
        finally:
            if held:
                libc.munmap(address, size)
    finally:
        os.close(fd)

"""Keep freed memory in the process while an index is built (glibc only; elsewhere nothing happens).

Building a segment allocates and frees arrays of hundreds of megabytes. glibc
serves every allocation above 32 MB with its own ``mmap`` and gives it back
with ``munmap`` when it is freed, so the next batch faults in (and the kernel
zeroes) the same amount of memory again. On this project's virtual machines a
page fault is dear: a loop that sorts 320 MB arrays spent 1.0 s of its 1.5 s
in the kernel, and 0.06 s of 0.6 s with the memory kept; a PostgreSQL rebuild
ran at 35-50 % system time. While :func:`retained` is in force, allocations
come from the heap (no ``mmap``) and freed memory stays there (no trim below
:data:`TRIM_THRESHOLD`) for the next batch.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Iterator
from contextlib import contextmanager

M_TRIM_THRESHOLD = -1
M_MMAP_MAX = -4
TRIM_THRESHOLD = 2_000_000_000  # bytes of free memory at the top of the heap that are kept (about the largest a C int allows)
DEFAULT_TRIM_THRESHOLD = 128 * 1024  # glibc's defaults, restored afterwards
DEFAULT_MMAP_MAX = 65536


@functools.cache
def _libc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        libc.mallopt  # noqa: B018 - glibc has it; musl and others do not
        libc.malloc_trim  # noqa: B018
    except (OSError, AttributeError, TypeError):
        return None
    return libc


def keep() -> bool:
    """Keep freed memory from now on (a worker process's initializer). Returns whether glibc took it."""
    libc = _libc()
    if libc is None:
        return False
    return bool(libc.mallopt(M_MMAP_MAX, 0)) and bool(libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))


def release() -> None:
    """glibc's defaults again, and the kept memory given back to the system."""
    libc = _libc()
    if libc is None:
        return
    libc.mallopt(M_MMAP_MAX, DEFAULT_MMAP_MAX)
    libc.mallopt(M_TRIM_THRESHOLD, DEFAULT_TRIM_THRESHOLD)
    libc.malloc_trim(0)


@contextmanager
def retained() -> Iterator[bool]:
    """Keep freed memory inside the block (the process that writes a rebuild); give it back after."""
    took = keep()
    try:
        yield took
    finally:
        if took:
            release()

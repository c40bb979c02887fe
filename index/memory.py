"""Large arrays freed go back to the system at once.

glibc serves a large allocation from mmap and returns it when freed, but each time it frees one
it raises that threshold to the block's size (up to 32 MB): after a few such blocks, arrays of
megabytes come from the heap, and what they leave when freed stays in the process. A
100,000-article event build makes and frees many arrays of that size: its peak RSS was 2,088-
2,160 MB with the threshold left to move and 1,730 MB with it fixed at glibc's default
(bench/bench_events.py), for the same CPU. Fixing it is what `mallopt` is for; other C libraries
(musl, macOS) are left alone.
"""

from __future__ import annotations

import ctypes
import sys

M_MMAP_THRESHOLD = -3  # glibc's malloc.h
MMAP_THRESHOLD = 128 * 1024  # glibc's default, which it otherwise raises as large blocks are freed

_done = False


def return_freed_arrays() -> bool:
    """Fix glibc's mmap threshold for this process (once); whether it was set."""
    global _done
    if _done:
        return True
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)
    except OSError:
        return False
    if not hasattr(libc, "gnu_get_libc_version"):  # glibc only: musl's mallopt does nothing
        return False
    mallopt = libc.mallopt
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    _done = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
    return _done

"""While a rebuild keeps freed memory, large arrays come from the heap and stay there; afterwards glibc's defaults are back."""

import ctypes
import ctypes.util

import numpy as np
import pytest

from gongkai.search import malloc


class Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


@pytest.fixture
def mallinfo():
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    if not hasattr(libc, "mallinfo2"):
        pytest.skip("not glibc 2.33 or later")
    libc.mallinfo2.restype = Mallinfo2
    return libc.mallinfo2


def _mapped_while_held(mallinfo) -> int:
    big = np.ones(64 * 1024 * 1024 // 8)  # 64 MB: above glibc's largest mmap threshold
    held = mallinfo().hblkhd  # bytes in mmap'd chunks
    del big
    return held


def test_large_arrays_come_from_the_heap_and_stay_there_inside_the_block(mallinfo):
    before = _mapped_while_held(mallinfo)
    assert before >= 64 * 1024 * 1024  # outside: glibc maps the array on its own
    free_before = mallinfo().fordblks  # free heap the process already had (earlier tests in this worker)
    with malloc.retained() as took:
        assert took
        base = mallinfo().hblkhd
        assert _mapped_while_held(mallinfo) - base < 64 * 1024 * 1024
        assert mallinfo().fordblks >= 64 * 1024 * 1024  # freed, kept for the next batch
    assert _mapped_while_held(mallinfo) >= 64 * 1024 * 1024  # defaults restored
    assert mallinfo().fordblks < free_before + 64 * 1024 * 1024  # and the kept memory given back

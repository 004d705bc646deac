"""Large arrays go back to the OS once freed (heap.release_large_blocks), so a worker's RSS
returns to its baseline after a long document instead of staying at the peak."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

glibc_only = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc's allocator only"
)

PROBE = """
import sys, numpy, psutil
from qawl_service.server.heap import release_large_blocks
if sys.argv[1] == "release":
    assert release_large_blocks()
process = psutil.Process()
base = process.memory_info().rss
for _ in range(3):  # a long document's arrays: one of 20 MB, then 8 of 3 MB
    block = numpy.ones(20 * 2**20 // 8)
    del block
    blocks = [numpy.ones(3 * 2**20 // 8) for _ in range(8)]
    del blocks
print((process.memory_info().rss - base) // 2**20)
"""


def _growth_mb(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True)
    return int(out.stdout)


@glibc_only
def test_freed_large_arrays_leave_the_process() -> None:
    assert _growth_mb("default") >= 16  # glibc's default: the heap keeps the freed arrays
    assert _growth_mb("release") <= 4


TRIM_PROBE = """
import psutil
from qawl_service.server import heap
heap.release_large_blocks()
process = psutil.Process()
blocks = [bytearray(4096) for _ in range(60_000)]  # 240 MB of small blocks: heap, not mmap
pin = bytearray(4096)  # allocated last, so the freed space is not at the heap's top
del blocks
before = process.memory_info().rss
ran = heap.trim()
after = process.memory_info().rss
print(int(ran), int(heap.trim()), (before - after) // 2**20)
"""


@glibc_only
def test_trim_returns_freed_heap_pages_at_most_once_per_interval() -> None:
    out = subprocess.run([sys.executable, "-c", TRIM_PROBE], capture_output=True, text=True, check=True)
    ran, again, released_mb = (int(x) for x in out.stdout.split())
    assert ran == 1 and again == 0  # the second call, within the interval, does nothing
    assert released_mb >= 150

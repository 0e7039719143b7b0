"""`python -m bench.scale.peak COMMAND…`: run COMMAND, print its peak memory (kilobytes).

On Linux a child's `ru_maxrss` starts from the memory of the process that forked it (exec
keeps the old address space's high-water mark): a command started by the bench's measure
process, itself 200 MB at national size, reported those 200 MB whatever it used. Started
from this small process instead, it reports its own peak (at least this process's ~15 MB).
The command's output is discarded; its errors pass through; its exit code is this one's.
"""

from __future__ import annotations

import os
import subprocess
import sys


def main(command: list[str]) -> int:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603 - the bench's
    _pid, status, usage = os.wait4(process.pid, 0)
    print(usage.ru_maxrss, flush=True)  # Linux: kilobytes
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

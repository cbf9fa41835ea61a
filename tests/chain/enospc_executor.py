"""The executor process with a disk that is full while a flag file exists (for the process-level test).

    python tests/chain/enospc_executor.py FLAG_FILE --config executor.toml

While ``FLAG_FILE`` exists every journal append writes half its record and then fails with ENOSPC,
as a full disk does; otherwise the process is the unchanged ``python -m windows_bridge.executor``.
"""

from __future__ import annotations

import errno
import os
import runpy
import sys
from pathlib import Path

from windows_bridge.executor import journal

FLAG = Path(sys.argv.pop(1))
_real_append = journal._append_synced


def _append_on_a_full_disk(path: Path, line: bytes) -> None:
    if not FLAG.exists():
        _real_append(path, line)
        return
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line[: len(line) // 2])
    finally:
        os.close(fd)
    raise OSError(errno.ENOSPC, "No space left on device")


journal._append_synced = _append_on_a_full_disk
runpy.run_module("windows_bridge.executor", run_name="__main__")

"""Logging for the headless Windows processes: a rotating UTF-8 file plus the console."""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 5

_MARK = "_miniqmt_handler"


def setup_logging(log_dir: Path, file_name: str, *, level: int = logging.INFO, console: bool = True) -> Path:
    """Send the root logger to ``log_dir/file_name`` (rotating) and, optionally, to stderr.

    Calling it again replaces the handlers it installed before (tests and restarts in-process).
    Returns the log file's path.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / file_name
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()
    formatter = logging.Formatter(LOG_FORMAT)
    handlers: list[logging.Handler] = [
        RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    ]
    if console:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(formatter)
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    root.setLevel(level)
    return path

"""Optional HMAC-SHA256 signatures on signals (app → executor) and results (executor → app).

The key lives in the user's config folder (``platformdirs``), never in the shared folder, so a
file dropped into the share by anything else cannot place an order when a key is configured.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import TypeVar

from windows_bridge.contract.messages import OrderResult, OrderSignal, canonical_json

Signed = TypeVar("Signed", OrderSignal, OrderResult)

KEY_FILE_NAME = "signal_hmac.key"


def sign(message: Signed, key: bytes) -> Signed:
    """Return a copy of a signal or result carrying the HMAC of its canonical payload."""
    mac = hmac.new(key, canonical_json(message.payload()), hashlib.sha256).hexdigest()
    return message.model_copy(update={"hmac": mac})


def verify(message: OrderSignal | OrderResult, key: bytes) -> bool:
    """True when the message's HMAC matches its payload under ``key`` (constant-time compare)."""
    if not message.hmac:
        return False
    expected = hmac.new(key, canonical_json(message.payload()), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, message.hmac)


def load_key(path: Path) -> bytes | None:
    """Read a hex key file; ``None`` when there is none. A malformed key is an error, not "no key"."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise ValueError(f"{path}: the HMAC key must be hex text") from None
    if len(key) < 16:
        raise ValueError(f"{path}: the HMAC key is too short (need ≥ 16 bytes)")
    return key


def create_key(path: Path) -> bytes:
    """Write a new random 32-byte key (owner-only permissions) and return it."""
    key = secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex() + "\n")
    return key

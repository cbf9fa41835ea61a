"""Where the notification URLs (they carry bot tokens and passwords) are kept: the OS keyring.

macOS Keychain, Windows Credential Manager or the Secret Service through ``keyring``. Where no
keyring backend works (a bare Linux box, CI), they go to ``push_urls.txt`` in the user's config
folder with owner-only permissions, and :func:`storage_name` says so. Never the shared folder:
the Windows VM and anyone with access to the share would read the tokens.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

SERVICE = "miniqmt"
URLS_KEY = "push_urls"
PHONE_TOKEN_KEY = "phone_view_token"
FALLBACK_FILE = "push_secrets.txt"


def _keyring() -> object | None:
    """The keyring backend, or ``None`` when only the 'fail' backend exists."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    return None if isinstance(backend, fail.Keyring) else backend


def fallback_path() -> Path:
    """The owner-only file used when there is no keyring (in the config folder, never the share)."""
    from windows_bridge.contract.config import config_dir

    return config_dir() / FALLBACK_FILE


def storage_name() -> str:
    """What holds the secrets here (shown in the settings dialog)."""
    backend = _keyring()
    return type(backend).__name__ if backend is not None else str(fallback_path())


def _read_fallback() -> dict[str, str]:
    try:
        text = fallback_path().read_text(encoding="utf-8")
    except OSError:
        return {}
    found: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            found[key.strip()] = value.strip().replace("\\n", "\n")
    return found


def _write_fallback(values: dict[str, str]) -> None:
    path = fallback_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{k}={v.replace(chr(10), chr(92) + 'n')}\n" for k, v in sorted(values.items()) if v)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(path, 0o600)


def get_secret(key: str) -> str:
    """The stored value of ``key`` ("" when none)."""
    backend = _keyring()
    if backend is not None:
        import keyring

        try:
            return keyring.get_password(SERVICE, key) or ""
        except Exception:  # a locked or broken keyring reads as "nothing stored"
            return ""
    return _read_fallback().get(key, "")


def set_secret(key: str, value: str) -> str:
    """Store ``value`` under ``key`` ("" deletes it); returns where it went."""
    backend = _keyring()
    if backend is not None:
        import keyring

        if value:
            keyring.set_password(SERVICE, key, value)
        else:
            with contextlib.suppress(Exception):  # nothing to delete
                keyring.delete_password(SERVICE, key)
        return storage_name()
    values = _read_fallback()
    values[key] = value
    _write_fallback(values)
    return storage_name()


def load_urls() -> list[str]:
    """The notification URLs, one per line in storage."""
    return [line.strip() for line in get_secret(URLS_KEY).splitlines() if line.strip()]


def save_urls(urls: list[str]) -> str:
    """Store the notification URLs; returns where they went."""
    return set_secret(URLS_KEY, "\n".join(u.strip() for u in urls if u.strip()))

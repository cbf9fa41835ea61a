"""Generate ``tests/chain/corpus/``: ≥ 50 malformed or hostile files for every file the processes read.

Run ``python tests/chain/make_corpus.py`` to rebuild (the output is committed and deterministic).
Each kind starts from one valid document and applies the same families of damage: not JSON at all,
torn, wrong encodings, wrong top-level types, resource bombs, and per-field mutations (removed,
null, wrong type, negative, huge, NaN, naive or garbage times, forged versions). Some mutations stay
schema-valid on purpose (hostile but well-formed values); the tests tell the two apart by reading
the file with the same validator the processes use.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent / "corpus"
T = "2026-01-05T10:00:00+08:00"
SID = "BUY_159201.SZ_L1_0a1b2c3d"
BAR = {"time": T, "open": 1.0, "high": 1.01, "low": 0.99, "close": 1.0, "volume": 1000.0}
LOT = {"layer": 1, "shares": 1000, "buy_price": 1.0, "cost": 1000.1, "time": T, "signal_id": SID}
SIGNAL = {"schema_version": 1, "signal_id": SID, "code": "159201.SZ", "direction": "BUY", "price": 1.0,
          "shares": 1000, "timestamp": T, "reason": "grid", "layer": 1}

VALID: dict[str, dict[str, Any]] = {
    "quotes": {
        "schema_version": 1, "code": "159201.SZ", "time": T, "price": 1.0, "pre_close": 1.0, "seq": 7,
        "heartbeat": T, "history": [BAR], "positions_status": "ok",
        "position": {"volume": 1000, "can_use_volume": 1000, "avg_price": 1.0, "market_value": 1000.0},
        "asset": {"cash": 100000.0, "total_asset": 101000.0}, "up_stop_price": 1.1, "down_stop_price": 0.9,
    },
    "results": {
        "schema_version": 1, "signal_id": SID, "status": "filled", "order_id": 100001, "code": "159201.SZ",
        "direction": "BUY", "requested_shares": 1000, "filled_shares": 1000, "avg_price": 1.0,
        "message": "ok", "timestamp": T, "simulate": False,
    },
    "dashboard_state": {
        "schema_version": 1, "code": "159201.SZ", "positions": [LOT], "hold_layers": 1, "total_cost": 1000.1,
        "pending_buy_shares": 0, "last_buy_price": 1.0, "pending_signal": None, "updated": T,
    },
    "executed_signals": {"schema_version": 1, "executed": [SID], "updated": T},
    "done_markers": {"schema_version": 1, "signal_id": SID, "status": "filled", "timestamp": T},
    "signals": SIGNAL,
}

RAW_CASES: dict[str, bytes] = {
    "empty": b"",
    "whitespace": b"  \n\t ",
    "null": b"null",
    "list": b"[]",
    "string": b'"hello"',
    "number": b"42",
    "true": b"true",
    "html": b"<html><body>502 Bad Gateway</body></html>",
    "invalid_utf8": b'{"code": "\xff\xfe\xfa"}',
    "nul_bytes": b"\x00" * 64,
    "random_binary": bytes((i * 37 + 11) % 256 for i in range(512)),
    "only_bom": b"\xef\xbb\xbf",
    "single_quotes": b"{'code': '159201.SZ'}",
    "comment": b'// written by hand\n{"code": "159201.SZ"}',
    "deep_nesting": b"[" * 100_000 + b"]" * 100_000,
    "deep_object": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "oversized": b'{"pad": "' + b"x" * (2 * 1024 * 1024 + 10) + b'"}',
}


def _dump(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, allow_nan=True).encode("utf-8")


def whole_file_cases(valid: dict[str, Any]) -> Iterator[tuple[str, bytes]]:
    """Damage to the file as a whole."""
    yield from RAW_CASES.items()
    good = _dump(valid)
    for cut in (1, 10, len(good) // 2, len(good) - 1):
        yield f"torn_at_{cut}", good[:cut]
    yield "utf16", json.dumps(valid).encode("utf-16")
    yield "bom_prefixed", b"\xef\xbb\xbf" + good
    yield "trailing_garbage", good + b"garbage"
    yield "two_objects", good + good
    yield "nul_padded", good + b"\x00" * 32
    yield "as_list", _dump([valid])
    yield "duplicate_keys", good[:-1] + b', "schema_version": 99}'
    yield "future_schema", _dump({**valid, "schema_version": 999})
    yield "schema_as_string", _dump({**valid, "schema_version": "1"})


def field_cases(valid: dict[str, Any]) -> Iterator[tuple[str, bytes]]:
    """Each field removed, nulled, retyped, negative, huge, NaN."""
    bad_values: dict[str, Any] = {
        "null": None, "str": "x", "list": [1], "obj": {"a": 1}, "neg": -1, "huge": 10**400,
        "nan": float("nan"), "inf": float("inf"), "bool": True, "naive_time": "2026-01-05T10:00:00",
    }
    for key in valid:
        yield f"missing_{key}", _dump({k: v for k, v in valid.items() if k != key})
        for label, value in bad_values.items():
            yield f"{key}_{label}", _dump({**valid, key: value})


def kind_specific(kind: str, valid: dict[str, Any]) -> Iterator[tuple[str, bytes]]:
    """Hostile but plausible values for one kind."""
    if kind == "quotes":
        yield "failed_with_position", _dump({**valid, "positions_status": "failed"})
        yield "ok_without_position", _dump({**valid, "position": None})
        yield "history_unsorted", _dump({**valid, "history": [BAR, BAR]})
        yield "history_bomb", _dump({**valid, "history": [BAR] * 6000})
        yield "other_code", _dump({**valid, "code": "600000.SH"})
        yield "price_zero", _dump({**valid, "price": 0})
    elif kind == "results":
        yield "overfilled", _dump({**valid, "filled_shares": 5000})
        yield "unknown_status", _dump({**valid, "status": "exploded"})
        yield "other_signal", _dump({**valid, "signal_id": "SELL_159201.SZ_L9_ffffffff"})
        yield "bad_id", _dump({**valid, "signal_id": "../../etc/passwd"})
    elif kind == "dashboard_state":
        yield "layers_disagree", _dump({**valid, "hold_layers": 7})
        yield "lot_negative", _dump({**valid, "positions": [{**LOT, "shares": -100}]})
        yield "lots_bomb", _dump({**valid, "positions": [LOT] * 5000})
        yield "pending_garbage", _dump({**valid, "pending_signal": {"signal_id": 1}})
    elif kind == "executed_signals":
        yield "ids_bomb", _dump({**valid, "executed": ["x" * 1000] * 3000})
        yield "ids_not_strings", _dump({**valid, "executed": [1, None, {}]})
    elif kind == "done_markers":
        yield "other_id", _dump({**valid, "signal_id": "SELL_159201.SZ_L9_ffffffff"})
    elif kind == "signals":
        yield "path_in_id", _dump({**valid, "signal_id": "BUY_159201.SZ_L1_../../x"})
        yield "shares_float", _dump({**valid, "shares": 1000.5})
        yield "price_string_number", _dump({**valid, "price": "1.0"})
        yield "direction_lower", _dump({**valid, "direction": "buy"})


#: larger files are not committed; the tests generate them with :func:`big_cases`
COMMIT_LIMIT = 64 * 1024


def all_cases(kind: str) -> list[tuple[str, bytes]]:
    """Every case of ``kind``, small and big."""
    valid = VALID[kind]
    return [*whole_file_cases(valid), *field_cases(valid), *kind_specific(kind, valid)]


def big_cases(kind: str) -> list[tuple[str, bytes]]:
    """The cases too big to commit (bombs, oversized files)."""
    return [(name, data) for name, data in all_cases(kind) if len(data) > COMMIT_LIMIT]


def write_corpus(root: Path = CORPUS) -> dict[str, int]:
    """(Re)write every kind's committed files; returns the number of files per kind."""
    shutil.rmtree(root, ignore_errors=True)
    counts: dict[str, int] = {}
    for kind in VALID:
        folder = root / kind
        folder.mkdir(parents=True)
        numbered = enumerate(all_cases(kind))
        cases = [(n, name, data) for n, (name, data) in numbered if len(data) <= COMMIT_LIMIT]
        for n, name, data in cases:
            (folder / f"{n:03d}_{name}.json").write_bytes(data)
        counts[kind] = len(cases)
    return counts


if __name__ == "__main__":
    print(write_corpus())

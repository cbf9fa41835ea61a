"""The hostile-signal corpus, second part: 70+ cases an attacker (or a broken tool) can put in the share.

Families: numbers (huge, NaN, ∞, −0, strings, booleans), ids (whitespace, other scripts' digits,
separators, length), times (future, past, naive, numbers), encodings (BOM, UTF-16/32, invalid UTF-8,
lone surrogates), file kinds (FIFO, directory, links, sparse, oversized) and kill-switch spellings.
For each: no order, one clear reason in the result and in the log, the entry is moved aside or
consumed (never left to loop on), and the executor goes on to fill the next good signal. The
first 52 cases are in ``test_hostile_signals.py``; races (written in place, replaced while read)
are at the end of this file.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from windows_bridge.contract.atomic_io import NotRegularFileError, read_bytes
from windows_bridge.contract.files import SIGNAL_FILE
from windows_bridge.contract.messages import MAX_FILE_BYTES, ResultStatus, encode
from windows_bridge.executor import intake
from windows_bridge.executor.intake import REJECTED_DIR

from .executor_support import (
    CODE,
    T0,
    Clock,
    Mono,
    make_broker,
    make_executor,
    make_settings,
    make_signal,
    read_result,
    signal_dict,
    write_quote,
)

SID = make_signal().signal_id
INVALID = "invalid_signal"
KILL = "kill_switch"
ARABIC = "١٥٩٢٠١"  # 159201 in Arabic-Indic digits


def j(**over: Any) -> bytes:
    return json.dumps(signal_dict(**over), allow_nan=True).encode()


def raw_field(name: str, literal: str) -> bytes:
    """A valid signal whose field ``name`` is replaced by the JSON literal ``literal`` (any text)."""
    data = signal_dict()
    data[name] = "@@"
    return json.dumps(data).encode().replace(b'"@@"', literal.encode())


def at(shared: Path) -> Path:
    return shared / SIGNAL_FILE


def content(data: bytes) -> Callable[[Path], None]:
    return lambda shared: at(shared).write_bytes(data)


def with_stop(name: str, kind: str = "file") -> Callable[[Path], None]:
    """A valid signal plus a kill-switch entry called ``name`` of the given kind."""

    def make(shared: Path) -> None:
        at(shared).write_bytes(encode(make_signal()))
        entry = shared / name
        if kind == "file":
            entry.write_text("stop trading\n", encoding="utf-8")
        elif kind == "dir":
            entry.mkdir()
        elif kind == "dangling":
            entry.symlink_to(shared / "no_such_target")
        elif kind == "fifo":
            os.mkfifo(entry)

    return make


def fifo(shared: Path) -> None:
    os.mkfifo(at(shared))  # opening this would block the reader forever


def directory(shared: Path) -> None:
    at(shared).mkdir()


def link_to(target: Callable[[Path], Path]) -> Callable[[Path], None]:
    return lambda shared: at(shared).symlink_to(target(shared))


def valid_elsewhere(shared: Path) -> Path:
    other = shared.parent / "elsewhere.json"
    other.write_bytes(encode(make_signal(token="e1e1e1e1")))
    return other


def sparse(shared: Path) -> None:
    with open(at(shared), "wb") as fh:
        fh.truncate(1 << 30)  # 1 GiB of holes: only 2 MiB + 1 byte may ever be read


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], None]
    reason: str
    signal_id: str = ""
    #: moved aside to order_signal_rejected/ (True) or journaled and consumed (False)
    kept_aside: bool = True


NUMBERS = [
    Case("shares_huge_int", content(j(shares=10**30)), "too_many_shares", SID, kept_aside=False),
    Case("shares_4301_digits", content(raw_field("shares", "1" * 4301)), INVALID, SID),
    Case("price_5000_digit_int", content(raw_field("price", "9" * 5000)), INVALID, SID),
    Case("price_overflows_to_inf", content(raw_field("price", "1e999")), INVALID, SID),
    Case("price_negative_zero", content(raw_field("price", "-0.0")), INVALID, SID),
    Case("shares_negative_zero", content(raw_field("shares", "-0")), "bad_lot", SID, kept_aside=False),
    Case("price_nan", content(raw_field("price", "NaN")), INVALID, SID),
    Case("price_infinity", content(raw_field("price", "Infinity")), INVALID, SID),
    Case("price_minus_infinity", content(raw_field("price", "-Infinity")), INVALID, SID),
    Case("shares_as_string", content(j(shares="1000")), INVALID, SID),
    Case("shares_true", content(j(shares=True)), INVALID, SID),
    Case("price_true", content(j(price=True)), INVALID, SID),
    Case("layer_as_string", content(j(layer="1")), INVALID, SID),
    Case("shares_as_float", content(raw_field("shares", "1000.0")), INVALID, SID),
    Case("price_as_string", content(j(price="1.0")), INVALID, SID),
    Case("shares_exponent", content(raw_field("shares", "1e3")), INVALID, SID),
    Case("nan_in_an_extra_field", content(raw_field("note", "NaN")), INVALID, SID),
    Case(
        "price_subnormal",
        content(raw_field("price", "5e-324")),
        "price_outside_collar",
        SID,
        kept_aside=False,
    ),
]

IDS = [
    Case("id_trailing_newline", content(j(signal_id=SID + "\n")), INVALID),
    Case("id_leading_space", content(j(signal_id=" " + SID)), INVALID),
    Case("id_trailing_tab", content(j(signal_id=SID + "\t")), INVALID),
    Case("id_trailing_crlf", content(j(signal_id=SID + "\r\n")), INVALID),
    Case(
        "id_and_code_in_arabic_digits",
        content(j(signal_id=f"BUY_{ARABIC}.SZ_L1_0a1b2c3d", code=f"{ARABIC}.SZ")),
        INVALID,
    ),
    Case("id_fullwidth_digit", content(j(signal_id="BUY_159201.SZ_L1_０a1b2c3d")), INVALID),
    Case("id_uppercase_hex", content(j(signal_id="BUY_159201.SZ_L1_0A1B2C3D")), INVALID),
    Case("id_dash_separators", content(j(signal_id="BUY-159201.SZ-L1-0a1b2c3d")), INVALID),
    Case("id_double_underscore", content(j(signal_id="BUY__159201.SZ_L1_0a1b2c3d")), INVALID),
    Case("id_token_9_hex", content(j(signal_id=SID + "e")), INVALID),
    Case("id_token_7_hex", content(j(signal_id=SID[:-1])), INVALID),
    Case("id_empty", content(j(signal_id="")), INVALID),
    Case("id_with_nul", content(j(signal_id=SID[:5] + "\x00" + SID[5:])), INVALID),
    Case("id_with_slash", content(j(signal_id="BUY_159201.SZ_L1/0a1b2c3d")), INVALID),
    Case("id_layer_0", content(j(signal_id="BUY_159201.SZ_L0_0a1b2c3d", layer=0)), INVALID),
    Case("id_zero_width_space", content(j(signal_id=SID[:4] + "\u200b" + SID[4:])), INVALID),
    Case("id_10k_chars", content(j(signal_id="B" * 10_000)), INVALID),
    Case("id_is_a_number", content(j(signal_id=12345678)), INVALID),
]

TIMES = [
    Case(
        "time_far_future", content(j(timestamp="2099-01-01T10:00:00+08:00")), "signal_from_future", SID, False
    ),
    Case(
        "time_31s_ahead",
        content(j(timestamp=(T0 + timedelta(seconds=31)).isoformat())),
        "signal_from_future",
        SID,
        False,
    ),
    Case("time_epoch_1970", content(j(timestamp="1970-01-01T00:00:00+00:00")), "signal_too_old", SID, False),
    Case(
        "time_121s_old",
        content(j(timestamp=(T0 - timedelta(seconds=121)).isoformat())),
        "signal_too_old",
        SID,
        False,
    ),
    Case("time_naive_with_space", content(j(timestamp="2026-01-05 10:00:00")), INVALID, SID),
    Case("time_date_only", content(j(timestamp="2026-01-05")), INVALID, SID),
    Case("time_unix_number", content(j(timestamp=int(T0.timestamp()))), INVALID, SID),
    Case("time_year_10000", content(j(timestamp="10000-01-01T00:00:00+08:00")), INVALID, SID),
    Case("time_offset_25h", content(j(timestamp="2026-01-05T10:00:00+25:00")), INVALID, SID),
]

GOOD_TEXT = json.dumps(signal_dict())
ENCODINGS = [
    Case("utf16_le_with_bom", content(GOOD_TEXT.encode("utf-16-le").join([b"\xff\xfe", b""])), INVALID, SID),
    Case("utf16_be_with_bom", content(b"\xfe\xff" + GOOD_TEXT.encode("utf-16-be")), INVALID, SID),
    Case("utf32_with_bom", content(GOOD_TEXT.encode("utf-32")), INVALID, SID),
    Case("utf8_bom_twice", content(b"\xef\xbb\xbf\xef\xbb\xbf" + GOOD_TEXT.encode()), INVALID, SID),
    Case("invalid_utf8_in_reason", content(j(reason="@@").replace(b"@@", b"\xff\xfe")), INVALID, SID),
    Case("overlong_utf8_in_reason", content(j(reason="@@").replace(b"@@", b"\xc0\xaf")), INVALID, SID),
    Case("lone_surrogate_in_reason", content(j(reason="@@").replace(b"@@", b"\\ud800")), INVALID, SID),
    Case("latin1_in_reason", content(j(reason="caf@").replace(b"@", b"\xe9")), INVALID, SID),
]

KINDS = [
    Case("fifo", fifo, INVALID),
    Case("directory", directory, INVALID),
    Case("symlink_to_a_valid_signal", link_to(valid_elsewhere), INVALID),
    Case("dangling_symlink", link_to(lambda shared: shared / "gone.json"), INVALID),
    Case("symlink_to_a_device", link_to(lambda _shared: Path(os.devnull)), INVALID),
    Case("symlink_loop", link_to(lambda shared: at(shared)), INVALID),
    Case("sparse_1_gib", sparse, INVALID),
    Case("valid_json_then_3_mib_of_spaces", content(j() + b" " * (3 * 1024 * 1024)), INVALID, SID),
]

KILL_SWITCH = [
    Case("stop_upper", with_stop("STOP"), KILL, SID, False),
    Case("stop_lower", with_stop("stop"), KILL, SID, False),
    Case("stop_title", with_stop("Stop"), KILL, SID, False),
    Case("stop_txt", with_stop("STOP.txt"), KILL, SID, False),
    Case("stop_txt_upper", with_stop("stop.TXT"), KILL, SID, False),
    Case("stop_txt_txt_hidden_extension", with_stop("STOP.txt.txt"), KILL, SID, False),
    Case("stop_trailing_space", with_stop("STOP "), KILL, SID, False),
    Case("stop_trailing_dot", with_stop("STOP."), KILL, SID, False),
    Case("stop_md", with_stop("stop.md"), KILL, SID, False),
    Case("stop_directory", with_stop("STOP", "dir"), KILL, SID, False),
    Case("stop_dangling_link", with_stop("STOP", "dangling"), KILL, SID, False),
    Case("stop_fifo", with_stop("STOP", "fifo"), KILL, SID, False),
]

CASES = [*NUMBERS, *IDS, *TIMES, *ENCODINGS, *KINDS, *KILL_SWITCH]


def test_at_least_60_new_cases_in_every_family() -> None:
    assert len(CASES) >= 60 and len({c.name for c in CASES}) == len(CASES)
    assert all(len(family) >= 8 for family in (NUMBERS, IDS, TIMES, ENCODINGS, KINDS, KILL_SWITCH))


def clear_kill_switch(shared: Path) -> None:
    for entry in shared.iterdir():
        if entry.name.strip().lower().startswith("stop"):
            if entry.is_dir() and not entry.is_symlink():
                entry.rmdir()
            else:
                entry.unlink()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_entry_places_nothing_says_why_and_the_executor_goes_on(
    tmp_path: Path, case: Case, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path)
    clock = Clock()
    broker = make_broker(settings, clock)
    broker.on_quote(CODE, 1.0, time=T0)
    write_quote(settings)
    shared = settings.shared_dir
    case.make(shared)
    ex = make_executor(settings, broker, clock)
    with caplog.at_level(logging.INFO):
        assert ex.poll_once()
    res = read_result(settings)
    assert res.status is ResultStatus.REJECTED and res.reason_code == case.reason, res.message
    assert res.signal_id == case.signal_id
    assert res.message
    detail = res.message.rsplit("invalid signal file: ", 1)[-1]
    assert f"[{case.reason}]" in caplog.text or detail[:60] in caplog.text  # the same reason in the log
    assert broker.query_orders() == []
    assert not os.path.lexists(at(shared))  # moved aside or consumed: never answered twice
    kept = sorted((shared / REJECTED_DIR).iterdir()) if (shared / REJECTED_DIR).exists() else []
    assert len(kept) == (1 if case.kept_aside else 0)
    clear_kill_switch(shared)
    at(shared).write_bytes(encode(make_signal(token="cafef00d")))
    assert ex.poll_once()
    assert read_result(settings).status is ResultStatus.FILLED  # still running, still trading


def test_a_device_is_never_opened(tmp_path: Path) -> None:
    """``/dev/zero`` would give endless bytes and a FIFO would block: only plain files are opened."""
    for path in (Path("/dev/zero"), Path("/dev/null")):
        with pytest.raises(NotRegularFileError, match="device"):
            read_bytes(path)
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(NotRegularFileError, match="FIFO"):
        read_bytes(tmp_path / "pipe")


def test_the_size_cap_holds_for_a_sparse_file(tmp_path: Path) -> None:
    sparse(tmp_path)
    data = read_bytes(at(tmp_path))
    assert data is not None and len(data) == MAX_FILE_BYTES + 1


# ------------------------------------------------------------------ races


def test_torn_file_that_stays_torn_is_rejected_once_stable_with_its_id(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, simulate=True)
    write_quote(settings)
    at(settings.shared_dir).write_bytes(encode(make_signal())[:90])
    mono = Mono()
    ex = make_executor(settings, None, Clock(), settle_s=1.0, monotonic=mono)
    assert not ex.poll_once()  # still maybe being written
    mono.now += 1.5
    assert ex.poll_once()
    res = read_result(settings)
    assert res.reason_code == INVALID and res.signal_id == SID


def test_file_replaced_by_a_fifo_between_read_and_quarantine(tmp_path: Path, monkeypatch) -> None:
    settings = make_settings(tmp_path, simulate=True)
    write_quote(settings)
    path = at(settings.shared_dir)
    path.write_bytes(b"{garbage")
    real = intake._still_the_same

    def swap_then_check(p: Path, incoming: Any) -> bool:
        path.unlink()
        os.mkfifo(path)  # an attacker swaps in a FIFO at the worst moment
        return real(p, incoming)

    monkeypatch.setattr(intake, "_still_the_same", swap_then_check)
    ex = make_executor(settings, None, Clock())
    assert ex.poll_once()  # the garbage was not moved: it is not the same entry any more
    assert not (settings.shared_dir / "order_result.json").exists()
    monkeypatch.undo()
    assert ex.poll_once()  # the FIFO is answered on its own, without ever being opened
    res = read_result(settings)
    assert res.reason_code == INVALID and "FIFO" in res.message
    assert not os.path.lexists(path)


def test_an_entry_that_cannot_be_moved_is_answered_once(tmp_path: Path, monkeypatch) -> None:
    settings = make_settings(tmp_path, simulate=True)
    path = at(settings.shared_dir)
    path.mkdir()

    def refuse(*_a: Any) -> None:
        raise PermissionError(13, "Access is denied")

    monkeypatch.setattr(intake, "_replace_with_retry", refuse)
    ex = make_executor(settings, None, Clock())
    assert ex.poll_once()
    first = read_result(settings)
    assert first.reason_code == INVALID and "left in place" in first.message
    (settings.shared_dir / "order_result.json").unlink()
    for _ in range(3):
        assert not ex.poll_once()  # not answered again while it stays unchanged
    assert not (settings.shared_dir / "order_result.json").exists()

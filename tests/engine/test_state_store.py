"""Loading the book: missing, corrupt (kept aside), old format (migrated), bad entries (dropped)."""

from __future__ import annotations

import json

from miniqmt_gui.live import book as bk
from miniqmt_gui.live.state_store import load_state, save_state

from .support import CODE, T0


def test_missing_file_is_an_empty_book(tmp_path):
    loaded = load_state(tmp_path / "s.json", CODE, now=T0)
    assert loaded.state.positions == [] and loaded.notes == []


def test_round_trip(tmp_path):
    path = tmp_path / "s.json"
    state = bk.empty_book(CODE).model_copy(update={"last_buy_price": 1.23, "bars_since_exit": 4})
    save_state(path, state)
    assert load_state(path, CODE, now=T0).state == state


def test_corrupt_file_is_kept_aside_not_overwritten(tmp_path):
    path = tmp_path / "dashboard_state.json"
    path.write_text("{not json")
    loaded = load_state(path, CODE, now=T0)
    assert loaded.state.positions == [] and loaded.kept_aside is not None
    assert loaded.kept_aside.name.startswith("dashboard_state.corrupt-")
    assert loaded.kept_aside.read_text() == "{not json" and not path.exists()


def test_other_code_or_mode_is_kept_aside(tmp_path):
    path = tmp_path / "s.json"
    save_state(path, bk.empty_book("510300.SH"))
    assert load_state(path, CODE, now=T0).kept_aside is not None
    save_state(path, bk.empty_book(CODE, "paper"))
    assert load_state(path, CODE, "live", now=T0).kept_aside is not None


def test_old_format_is_migrated_and_bad_entries_dropped(tmp_path):
    path = tmp_path / "s.json"
    old = {
        "code": CODE, "anchor": 1.1, "hold_layers": 7, "total_cost": 1,
        "positions": [
            {"layer": 1, "price": 1.0, "shares": 1000},  # old names, no cost/time
            {"layer": 2, "buy_price": -1, "shares": 1000, "cost": 0, "time": T0.isoformat()},  # invalid
            "junk",
            {"layer": 1, "price": 0.9, "shares": 100},  # duplicate layer
        ],
        "pending_signal": {"signal_id": "nope"},
        "bars_since_exit": "many",
    }
    path.write_text(json.dumps(old))
    loaded = load_state(path, CODE, now=T0)
    s = loaded.state
    lots = [(lot.layer, lot.shares, lot.buy_price, lot.cost) for lot in s.positions]
    assert lots == [(1, 1000, 1.0, 1000.0)]
    assert s.hold_layers == 1 and s.total_cost == 1000.0 and s.last_buy_price == 1.1
    assert s.pending_signal is None and s.bars_since_exit == -1
    assert len(loaded.notes) == 5

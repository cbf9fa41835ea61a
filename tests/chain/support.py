"""Helpers of the chain tests: corpus files, an in-process engine and executor on a temporary share."""

from __future__ import annotations

import contextlib
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from miniqmt_gui.live import book as bk
from miniqmt_gui.live.factory import build_engine
from miniqmt_gui.live.settings import EngineSettings
from miniqmt_gui.live.state_store import save_state
from windows_bridge.brokers.sim.broker import SimBroker
from windows_bridge.contract.atomic_io import write_message
from windows_bridge.contract.config import Settings
from windows_bridge.contract.files import QUOTE_FILE, SIGNAL_FILE, STATE_FILE
from windows_bridge.contract.market_hours import SHANGHAI
from windows_bridge.contract.messages import OrderSignal, SharedQuote
from windows_bridge.executor.journal import JOURNAL_FILE, Journal
from windows_bridge.executor.service import OrderExecutor

from .make_corpus import CORPUS, VALID, big_cases

CODE = "159201.SZ"
T0 = datetime(2026, 1, 5, 10, 0, 0, tzinfo=SHANGHAI)


def corpus_cases(kind: str) -> list[tuple[str, bytes]]:
    """The committed corpus files of ``kind`` plus the big generated ones."""
    files = sorted((CORPUS / kind).glob("*.json"))
    return [(p.name, p.read_bytes()) for p in files] + [(f"big_{n}", d) for n, d in big_cases(kind)]


def valid_quote(**over: Any) -> SharedQuote:
    """The corpus's valid quote (time T0), with overrides."""
    return SharedQuote.model_validate({**VALID["quotes"], **over})


def make_signal(token: str = "0a1b2c3d", **over: Any) -> OrderSignal:
    """A valid BUY signal stamped T0."""
    data = {**VALID["signals"], "signal_id": f"BUY_{CODE}_L1_{token}", **over}
    return OrderSignal.model_validate(data)


def engine_settings(root: Path) -> EngineSettings:
    """Engine settings on ``root/shared`` with the session gate off."""
    (root / "shared").mkdir(parents=True, exist_ok=True)
    return EngineSettings(shared_dir=root / "shared", work_dir=root / "work", session_only=False,
                          owner_lock=False)


def engine_with_pending(root: Path, signal: OrderSignal) -> Any:
    """An engine whose book holds ``signal`` pending (its file written too), ready to step."""
    settings = engine_settings(root)
    book = bk.begin_buy(bk.empty_book(CODE), signal, T0)
    save_state(settings.shared_dir / STATE_FILE, book)
    write_message(settings.shared_dir / SIGNAL_FILE, signal)
    return build_engine(settings, clock=lambda: T0 + timedelta(seconds=1))


class Executor:
    """An in-process executor on a simulated broker, its clock 5 s after T0."""

    def __init__(self, root: Path, **settings: Any) -> None:
        """Fresh share, state folder, journal and account."""
        settings.setdefault("order_timeout_s", 0.05)
        self.settings = Settings(shared_dir=root / "shared", state_dir=root / "state", broker="fake",
                                 **settings)
        self.settings.shared_dir.mkdir(parents=True, exist_ok=True)
        self.settings.state_dir.mkdir(parents=True, exist_ok=True)
        self.now = T0 + timedelta(seconds=5)
        self.broker = SimBroker(self.settings.state_dir / "sim_ledger.json", initial_cash=100_000.0,
                                initial_positions={CODE: 50_000}, clock=lambda: self.now)
        self.core = OrderExecutor(self.settings, self.broker, Journal(self.settings.state_dir / JOURNAL_FILE),
                                  clock=lambda: self.now, sleep=lambda _s: None, reread_delay_s=0.0)

    def quote(self, raw: bytes | None = None) -> None:
        """Write ``shared_quote.json`` (the valid one when ``raw`` is None)."""
        if raw is None:
            write_message(self.settings.shared_dir / QUOTE_FILE, valid_quote())
        else:
            (self.settings.shared_dir / QUOTE_FILE).write_bytes(raw)

    def orders(self) -> int:
        """Broker orders so far."""
        return len(self.broker.query_orders() or [])


def share_outage(shared: Path, tmp_path: Path, seconds: float) -> None:
    """The shared folder goes away for ``seconds``. A process writing meanwhile creates a local folder at
    its path (``mkdir(parents=True)``); when the share returns, that folder and what was written into it
    are lost (moved aside), as writes into a vanished share are."""
    away = tmp_path / "share-away"
    shared.rename(away)
    time.sleep(seconds)
    for attempt in range(50):
        try:
            away.rename(shared)
            return
        except OSError:  # recreated meanwhile: its writes are lost
            with contextlib.suppress(OSError):
                shared.rename(tmp_path / f"written-during-outage-{attempt}")
    raise AssertionError("the shared folder could not be restored")

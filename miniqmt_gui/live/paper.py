"""Paper mode (模拟盘): the real order executor, in-process, over a simulated broker.

There is one dry-run boundary, at the broker (as freqtrade does it): a paper signal takes exactly the
path a live one takes — written to a signal file, read by the real
:class:`~windows_bridge.executor.service.OrderExecutor` with the same pre-trade checks, journal, order
tracking and results — except that the broker is a :class:`~windows_bridge.brokers.sim.broker.SimBroker`
that fills against the live quotes. Everything lives in ``<work_dir>/paper/`` (its own "shared" folder
and the executor's state), never in the real shared folder, so the real executor never sees a paper
order and paper and live books never mix (the paper book is ``dashboard_state_paper.json``).

The executor runs on a background thread (as the real one runs in its own process); :meth:`close`
stops and joins it. Each quote is handed to the simulated account (which may fill working orders) and
written into the paper folder with the *paper* account's position, so the executor's checks (price
collar, daily limits, cash, T+1) and the engine's broker check both see the paper account.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from miniqmt_gui.live.routes import SharedFolderRoute
from miniqmt_gui.live.settings import PAPER_DIR, EngineSettings  # noqa: F401 - PAPER_DIR: re-exported
from windows_bridge.brokers.sim.broker import SimBroker
from windows_bridge.contract.atomic_io import write_message
from windows_bridge.contract.config import Settings
from windows_bridge.contract.fees import FeeSchedule
from windows_bridge.contract.files import QUOTE_FILE
from windows_bridge.contract.market_hours import now_shanghai
from windows_bridge.contract.messages import (
    AssetInfo,
    BrokerPosition,
    SharedQuote,
)
from windows_bridge.executor.journal import JOURNAL_FILE, Journal
from windows_bridge.executor.service import OrderExecutor
from windows_bridge.executor.tracker import TrackingInterrupted

log = logging.getLogger(__name__)

#: how often the paper executor looks for a signal (it is in-process: a cheap stat)
EXECUTOR_POLL_S = 0.02


def open_paper_broker(ledger_path: Path, *, initial_cash: float, base_shares: int | None, code: str,
                      fill_ratio: float = 1.0, clock: Callable[[], datetime] = now_shanghai) -> SimBroker:
    """The paper account: cash plus the base position (so same-day lots can be sold, as live)."""
    positions = {code: base_shares} if base_shares else None
    return SimBroker(ledger_path, initial_cash=initial_cash, initial_positions=positions,
                     fees=FeeSchedule(rate=0.0001), fill_ratio=fill_ratio, clock=clock)


def set_paper_account_aside(settings: EngineSettings, now: datetime) -> Path:
    """Move the simulated account, the paper book (and its own copy), journal and executor folder into
    ``<work_dir>/paper_old_<time>/`` so the next paper engine starts afresh; returns that folder."""
    kept = settings.work_dir / f"paper_old_{now.strftime('%Y%m%d_%H%M%S')}"
    paper = settings.model_copy(update={"paper": True})
    for path in (paper.paper_ledger_path, paper.state_path, paper.own_state_path, paper.journal_path,
                 settings.paper_dir):
        if path.exists():
            kept.mkdir(parents=True, exist_ok=True)
            path.rename(kept / path.name)
    return kept


def paper_executor_settings(settings: EngineSettings) -> Settings:
    """The paper executor's settings: the paper folder, the app's risk limits, the paper order timeout.

    Rehearsals (``session_only`` off) run at any hour, like the real executor over the fake broker.
    """
    folder = settings.paper_dir
    return Settings(
        shared_dir=folder / "shared", state_dir=folder / "executor", code=settings.code,
        broker="xtquant" if settings.session_only else "fake", simulate=False,
        order_timeout_s=settings.paper_order_timeout_s, risk=settings.risk,
    )


class PaperRoute(SharedFolderRoute):
    """An :class:`~miniqmt_gui.live.routes.OrderRoute` to the real executor running over ``broker``."""

    def __init__(
        self,
        settings: EngineSettings,
        broker: SimBroker,
        *,
        clock: Callable[[], datetime] = now_shanghai,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """Start the paper executor on its thread (it first resolves what a crash left open)."""
        self.broker = broker
        self.executor_settings = paper_executor_settings(settings)
        shared = self.executor_settings.shared_dir
        shared.mkdir(parents=True, exist_ok=True)
        super().__init__(shared, hmac_key=None)
        self._stop = threading.Event()
        journal = Journal(self.executor_settings.state_dir / JOURNAL_FILE)
        self.executor = OrderExecutor(self.executor_settings, broker, journal, clock=clock,
                                      stop=self._stop, monotonic=monotonic, reread_delay_s=0.0)
        self._thread = threading.Thread(target=self._serve, name="paper-executor", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        """The executor's loop, as the real process runs it: recover, then poll until stopped."""
        try:
            self.executor.recover()
            while not self._stop.is_set():
                try:
                    handled = self.executor.poll_once()
                except TrackingInterrupted:
                    return
                except Exception:
                    log.exception("paper executor: error while handling a signal; still running")
                    handled = False
                if not handled:
                    self._stop.wait(EXECUTOR_POLL_S)
        except TrackingInterrupted:
            return
        except Exception:
            log.exception("paper executor stopped")

    def on_quote(self, quote: SharedQuote) -> SharedQuote:
        """Feed the price to the paper account; return (and publish to the executor) the paper quote."""
        self.broker.on_quote(quote.code, quote.price, time=quote.time,
                             up_stop=quote.up_stop_price, down_stop=quote.down_stop_price)
        paper = self._paper_quote(quote)
        write_message(self.shared_dir / QUOTE_FILE, paper, fsync=False)
        return paper

    def _paper_quote(self, quote: SharedQuote) -> SharedQuote:
        positions = self.broker.query_positions()
        asset = self.broker.query_asset()
        if positions is None or asset is None:
            return quote.model_copy(update={"positions_status": "failed", "position": None})
        pos = next((p for p in positions if p.code == quote.code), None)
        position = BrokerPosition(
            volume=pos.volume if pos else 0, can_use_volume=pos.can_use_volume if pos else 0,
            avg_price=pos.avg_price if pos else 0.0, market_value=pos.market_value if pos else 0.0,
        )
        paper_asset = AssetInfo(cash=asset.cash, total_asset=asset.total_asset,
                                market_value=asset.market_value, frozen_cash=asset.frozen_cash)
        return quote.model_copy(update={"positions_status": "ok", "position": position, "asset": paper_asset})

    def close(self) -> None:
        """Stop the paper executor (an order still working is resolved from the ledger at the next start)."""
        self._stop.set()
        self._thread.join(timeout=10)
        self.broker.close()

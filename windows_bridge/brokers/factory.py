"""Build the broker and market-data objects a Windows process uses, real or fake.

``settings.broker == "xtquant"``: the real ``xttrader``/``xtdata`` (Windows, QMT running), with
``QMT_USERDATA_PATH`` / ``ACCOUNT_ID`` / ``ACCOUNT_TYPE`` and a session id of this process's own.

``settings.broker == "fake"``: the same :class:`.xtquant.execution.XtBroker` and
:class:`.xtquant.market_data.XtMarketData` over ``windows_bridge.brokers.xtquant.fake``, configured by
environment variables (or a :class:`FakeOptions` passed in):

==========================  ==========================================================================
``MINIQMT_REPLAY_CSV``      1-minute bar CSV (``datetime,open,high,low,close,volume``, ``.csv.gz`` ok)
``MINIQMT_REPLAY_SPEED``    simulated seconds per wall second (default 60: one bar per second)
``MINIQMT_REPLAY_START``    wall-clock epoch seconds at which the replay starts; processes given the
                            same CSV, start and speed see the same prices. Unset: read from
                            ``<state_dir>/fake_replay_start.txt``, created with "now" by the first
                            process (delete it to restart the replay)
``MINIQMT_REPLAY_CSVS``     other codes' own replays (same clock): ``CODE=path;CODE=path`` — a code of
                            ``codes`` without one follows ``MINIQMT_REPLAY_CSV``
``MINIQMT_REPLAY_SKIP``     bars skipped at the start so history exists at once (default 240)
``MINIQMT_SIM_LEDGER``      the simulated account's ledger (default ``<state_dir>/sim_ledger.json``);
                            the executor owns it, the bridge reads it
``MINIQMT_SIM_CASH``        starting cash of a new ledger (default 1,000,000)
``MINIQMT_SIM_FILL_RATIO``  share of an order filled per matching quote, (0, 1] (default 1)
==========================  ==========================================================================
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from windows_bridge.brokers.sim.broker import SimBroker
from windows_bridge.brokers.xtquant.execution import XtBroker
from windows_bridge.brokers.xtquant.fake import FakeQmt, XtQuantTrader
from windows_bridge.brokers.xtquant.fake.replay import DEFAULT_SKIP_BARS, ReplaySource
from windows_bridge.brokers.xtquant.market_data import XtMarketData
from windows_bridge.contract.config import Settings

log = logging.getLogger(__name__)

ENV_REPLAY_CSV = "MINIQMT_REPLAY_CSV"
ENV_REPLAY_SPEED = "MINIQMT_REPLAY_SPEED"
ENV_REPLAY_START = "MINIQMT_REPLAY_START"
ENV_REPLAY_SKIP = "MINIQMT_REPLAY_SKIP"
ENV_REPLAY_CSVS = "MINIQMT_REPLAY_CSVS"
ENV_SIM_LEDGER = "MINIQMT_SIM_LEDGER"
ENV_SIM_CASH = "MINIQMT_SIM_CASH"
ENV_SIM_FILL_RATIO = "MINIQMT_SIM_FILL_RATIO"

REPLAY_START_FILE = "fake_replay_start.txt"
DEFAULT_LEDGER_FILE = "sim_ledger.json"
FAKE_ACCOUNT_ID = "SIM001"
OWNER_ROLE = "executor"


class FactoryError(ValueError):
    """The fake cannot be configured; the message says which variable to fix."""


@dataclass(frozen=True)
class FakeOptions:
    """How the xtquant fake is set up (see the module docstring for the env vars)."""

    replay_csv: Path
    speed: float = 60.0
    start_epoch: float | None = None
    skip_bars: int = DEFAULT_SKIP_BARS
    ledger: Path | None = None
    initial_cash: float = 1_000_000.0
    fill_ratio: float = 1.0
    #: ``(code, csv)`` pairs: codes with their own replay (the others follow ``replay_csv``)
    code_csvs: tuple[tuple[str, Path], ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> FakeOptions:
        """Read the ``MINIQMT_REPLAY_*`` / ``MINIQMT_SIM_*`` variables."""
        env = os.environ if env is None else env
        csv = env.get(ENV_REPLAY_CSV, "")
        if not csv:
            raise FactoryError(f"the fake broker needs {ENV_REPLAY_CSV}: a 1-minute bar CSV to replay")
        try:
            return cls(
                replay_csv=Path(csv),
                speed=float(env.get(ENV_REPLAY_SPEED) or 60.0),
                start_epoch=float(env[ENV_REPLAY_START]) if env.get(ENV_REPLAY_START) else None,
                skip_bars=int(env.get(ENV_REPLAY_SKIP) or DEFAULT_SKIP_BARS),
                ledger=Path(env[ENV_SIM_LEDGER]) if env.get(ENV_SIM_LEDGER) else None,
                initial_cash=float(env.get(ENV_SIM_CASH) or 1_000_000.0),
                fill_ratio=float(env.get(ENV_SIM_FILL_RATIO) or 1.0),
                code_csvs=_code_csvs(env.get(ENV_REPLAY_CSVS, "")),
            )
        except ValueError as exc:
            raise FactoryError(f"bad MINIQMT_REPLAY_*/MINIQMT_SIM_* value: {exc}") from None


def _code_csvs(text: str) -> tuple[tuple[str, Path], ...]:
    """``CODE=path;CODE=path`` → pairs (a ValueError names a bad item)."""
    pairs = []
    for item in filter(None, (part.strip() for part in text.split(";"))):
        code, sep, path = item.partition("=")
        if not sep or not code.strip() or not path.strip():
            raise ValueError(f"{ENV_REPLAY_CSVS} item {item!r} is not CODE=path")
        pairs.append((code.strip(), Path(path.strip())))
    return tuple(pairs)


def shared_replay_start(state_dir: Path) -> float:
    """The replay start epoch shared by the processes of one machine (created on first use)."""
    path = state_dir / REPLAY_START_FILE
    try:
        return float(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        pass
    state_dir.mkdir(parents=True, exist_ok=True)
    start = float(int(time.time()))
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:  # another process won the race: use its value
        time.sleep(0.05)
        try:
            return float(path.read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            return start
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(f"{int(start)}\n")
    return start


_TERMINALS: dict[tuple[str, FakeOptions], FakeQmt] = {}
_LOCK = threading.Lock()


def _resolved(settings: Settings, fake: FakeOptions | None) -> FakeOptions:
    options = fake or FakeOptions.from_env()
    if options.start_epoch is None:
        options = replace(options, start_epoch=shared_replay_start(settings.state_dir))
    if options.ledger is None:
        options = replace(options, ledger=settings.state_dir / DEFAULT_LEDGER_FILE)
    return options


def _engine(options: FakeOptions, replay: ReplaySource, owner: bool) -> SimBroker:
    assert options.ledger is not None
    options.ledger.parent.mkdir(parents=True, exist_ok=True)
    if owner or not options.ledger.exists():
        # the owner writes the ledger; a reader started first creates it once so it has an account
        writer = SimBroker(
            options.ledger, initial_cash=options.initial_cash, fill_ratio=options.fill_ratio, clock=replay.now
        )
        if owner:
            return writer
    return SimBroker(options.ledger, clock=replay.now, read_only=True)


def fake_terminal(settings: Settings, role: str, fake: FakeOptions | None = None) -> FakeQmt:
    """The process's fake QMT for ``role`` (created once, installed at ``fake-qmt://<role>``)."""
    options = _resolved(settings, fake)
    key = (role, options)
    with _LOCK:
        if key in _TERMINALS:
            return _TERMINALS[key]
        assert options.start_epoch is not None
        replay = ReplaySource.from_csv(
            options.replay_csv, options.start_epoch, options.speed, skip_bars=options.skip_bars
        )
        owner = role == OWNER_ROLE
        replays = {
            code: ReplaySource.from_csv(csv, options.start_epoch, options.speed, skip_bars=options.skip_bars)
            for code, csv in options.code_csvs
        }
        terminal = FakeQmt(
            _engine(options, replay, owner),
            account_id=settings.account_id or FAKE_ACCOUNT_ID,
            replay=replay,
            codes=tuple(dict.fromkeys([*settings.instrument_codes(), *replays])),
            feed_quotes=owner,
            replays=replays,
        ).install(fake_path(role))
        if owner:
            terminal.start_pump()
        _TERMINALS[key] = terminal
        log.info(
            "fake QMT for %s: replay %s ×%g from %s",
            role,
            options.replay_csv,
            options.speed,
            options.start_epoch,
        )
        return terminal


def fake_path(role: str) -> str:
    """The pseudo ``userdata_mini`` path the fake terminal of ``role`` is installed at."""
    return f"fake-qmt://{role}"


def create_broker(settings: Settings, role: str, *, fake: FakeOptions | None = None) -> XtBroker:
    """A connected (if possible) :class:`XtBroker` for ``role`` ("bridge" or "executor").

    If the first connect fails the broker is returned anyway with ``connected`` False; call
    :meth:`XtBroker.reconnect` (it backs off by itself) until it is up.
    """
    if settings.broker == "fake":
        terminal = fake_terminal(settings, role, fake)
        broker = XtBroker(
            fake_path(role),
            terminal.account_id,
            settings.account_type,
            trader_factory=XtQuantTrader,
            strategy_name=f"miniqmt-{role}",
        )
    else:
        broker = XtBroker(
            settings.qmt_userdata_path,
            settings.account_id,
            settings.account_type,
            strategy_name=f"miniqmt-{role}",
        )
    if not broker.connect():
        log.warning("%s: QMT not connected yet (%s); will retry", role, broker.last_error)
    return broker


def create_market_data(
    settings: Settings, role: str = "bridge", *, fake: FakeOptions | None = None
) -> XtMarketData:
    """:class:`XtMarketData` over the real ``xtdata`` (lazily imported) or the fake's replay."""
    if settings.broker == "fake":
        return XtMarketData(fake_terminal(settings, role, fake).xtdata)
    return XtMarketData()

"""The live engine's own settings (the app's side).

The Windows processes read ``windows_bridge.contract.config``.

Two folders: ``shared_dir`` holds the contract files of SPEC §3 (quote, signal, result, done
markers, ``executed_signals.json``, ``dashboard_state.json``, ``STOP``); ``work_dir`` holds what
only the app reads: the decision journal and, in paper mode, the paper book and ledger.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from windows_bridge.contract.config import RiskLimits
from windows_bridge.contract.files import CodeFiles
from windows_bridge.contract.messages import CODE_PATTERN

PAPER_STATE_FILE = "dashboard_state_paper.json"
PAPER_LEDGER_FILE = "paper_ledger.json"
#: the paper executor's folder inside ``work_dir`` (see :attr:`EngineSettings.paper_dir`)
PAPER_DIR = "paper"
JOURNAL_FILE = "decisions.jsonl"
PAPER_JOURNAL_FILE = "decisions_paper.jsonl"


class EngineSettings(BaseModel):
    """Everything the engine needs besides the strategy parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    shared_dir: Path
    work_dir: Path
    code: Annotated[str, Field(pattern=CODE_PATTERN)] = "159201.SZ"
    #: the first configured code keeps the v1.0.0 file names; another code of a portfolio uses its own
    #: ``…_{code}`` files (``contract.files.CodeFiles``)
    primary: bool = True
    #: paper mode: the real executor in-process over a simulated account, separate book and folder
    paper: bool = False
    #: seconds without ``seq``/``time`` progress (counted in market hours only) before quotes are stale
    stale_after_s: Annotated[float, Field(gt=0)] = 300.0
    #: seconds without a new quote ``seq`` (any hour) before the bridge link counts as down
    link_timeout_s: Annotated[float, Field(gt=0)] = 20.0
    #: in-memory pause after a rejected or cancelled signal
    silent_period_s: Annotated[float, Field(ge=0)] = 300.0
    #: consecutive trustworthy zero-position snapshots needed before the lots are cleared
    sync_zero_snapshots: Annotated[int, Field(ge=1)] = 3
    #: shares the trader holds outside the grid (Beta); ``None`` = unknown, only "broker < book" is checked
    base_shares: Annotated[int, Field(ge=0)] | None = None
    #: evaluate only inside the continuous session (09:30–11:30, 13:00–14:57); off for rehearsals
    session_only: bool = True
    #: the slowest poll; around each expected quote and while a signal is outstanding the engine polls
    #: every ``fast_poll_interval_s`` (windows_bridge/contract/pacing.py; figures: benchmarks/latency.py)
    poll_interval_s: Annotated[float, Field(gt=0, le=5)] = 1.0
    fast_poll_interval_s: Annotated[float, Field(gt=0, le=5)] = 0.01
    #: HMAC key for signals (from the config folder); ``None`` = unsigned
    hmac_key: bytes | None = None
    lang: Literal["zh", "en"] = "zh"
    #: paper mode: starting cash of the simulated account
    paper_cash: Annotated[float, Field(gt=0)] = 1_000_000.0
    #: paper mode: seconds a paper order may work before the rest is cancelled
    paper_order_timeout_s: Annotated[float, Field(gt=0)] = 30.0
    #: the executor's pre-trade limits from the shared config (the paper executor applies the same)
    risk: RiskLimits = Field(default_factory=RiskLimits)
    #: one trading app per folder: an owner lock (off only for rehearsals that restart engines in one process)
    owner_lock: bool = True
    #: seconds an owner's heartbeat counter may stand still before another instance takes over
    owner_takeover_s: Annotated[float, Field(gt=0)] = 30.0
    #: how far a quote's time may be ahead of the app's clock before it is refused
    quote_skew_s: Annotated[float, Field(gt=0)] = 60.0
    #: seconds without a result before the pending signal is written again (same id)
    pending_timeout_s: Annotated[float, Field(gt=0)] = 120.0
    #: re-sends before the pending signal is reported stuck
    pending_max_resends: Annotated[int, Field(ge=0)] = 3

    @property
    def files(self) -> CodeFiles:
        """This code's names in the shared folder (the v1.0.0 names for the primary code)."""
        return CodeFiles(self.code, self.primary)

    def _own_name(self, name: str) -> str:
        """``name`` as it is (primary code) or with ``_{code}`` before its extension."""
        if self.primary:
            return name
        stem, _, ext = name.rpartition(".")
        return f"{stem}_{self.code}.{ext}"

    @property
    def state_path(self) -> Path:
        """The book: ``dashboard_state[_{code}].json`` in the share, or the paper book in ``work_dir``."""
        if self.paper:
            return self.work_dir / self._own_name(PAPER_STATE_FILE)
        return self.shared_dir / self.files.state

    @property
    def own_state_path(self) -> Path:
        """The app's own copy of the book on the local disk (see :mod:`.rebuild`)."""
        return self.work_dir / "book" / self.state_path.name

    @property
    def journal_path(self) -> Path:
        """The decision journal (paper mode has its own)."""
        return self.work_dir / self._own_name(PAPER_JOURNAL_FILE if self.paper else JOURNAL_FILE)

    @property
    def paper_dir(self) -> Path:
        """The paper executor's own folder (its "shared" folder and state): ``paper``, or ``paper_{code}``
        for a portfolio's other codes — each code's paper executor journals alone, as each live code has
        its own files."""
        return self.work_dir / (PAPER_DIR if self.primary else f"{PAPER_DIR}_{self.code}")

    @property
    def paper_ledger_path(self) -> Path:
        """The simulated broker's ledger in paper mode."""
        return self.work_dir / self._own_name(PAPER_LEDGER_FILE)


def _hmac_key(hmac_key_file: Path | None) -> bytes | None:
    from windows_bridge.contract.config import config_dir
    from windows_bridge.contract.signing import KEY_FILE_NAME, load_key

    return load_key(hmac_key_file or config_dir() / KEY_FILE_NAME)


def resolve_settings(
    *,
    work_dir: Path | None = None,
    shared_dir: Path | None = None,
    paper: bool = False,
    env: Mapping[str, str] | None = None,
) -> EngineSettings:
    """Engine settings from arguments, the environment and the shared ``config.toml``.

    Work folder: ``work_dir`` > ``DASHBOARD_WORK_DIR`` > the user data folder (``platformdirs``).
    Shared folder: ``shared_dir`` > ``SHARED_DIR`` / ``config.toml`` > the work folder when one was
    given explicitly (offline rehearsals keep everything in one place) > ``~/Documents/miniqmt``.
    The HMAC key is the config's ``hmac_key_file`` or ``signal_hmac.key`` in the config folder.
    Raises ``windows_bridge.contract.config.ConfigError`` / ``ValueError`` with what to fix.
    """
    from windows_bridge.contract.config import default_state_dir, load_settings

    env = os.environ if env is None else env
    explicit_work = work_dir or (Path(env["DASHBOARD_WORK_DIR"]) if env.get("DASHBOARD_WORK_DIR") else None)
    shared_cfg = load_settings(env=env)
    if shared_dir is None:
        if env.get("SHARED_DIR") or explicit_work is None:
            shared_dir = shared_cfg.shared_dir
        else:
            shared_dir = explicit_work
    return EngineSettings(
        shared_dir=shared_dir, work_dir=explicit_work or default_state_dir() / "app", code=shared_cfg.code,
        paper=paper, hmac_key=_hmac_key(shared_cfg.hmac_key_file), risk=shared_cfg.risk,
        base_shares=shared_cfg.base_shares,
    )

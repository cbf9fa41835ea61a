"""The shared-folder contract (SPEC §3): every file's name and schema, encode/decode in one place.

Both sides import this module: the Windows processes write and read these files, the desktop
app reads quotes and results and writes signals and its state. Field names follow the original
plan. Unknown extra fields are kept (``extra="allow"``) so a newer writer does not break an
older reader; ``schema_version`` says which layout a file was written with.

Validation here is structural (types, formats, ids). Business checks with reasons that a trader
must see (lots, collars, cash, sessions) belong to the executor's pre-trade checks.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

SCHEMA_VERSION = 1


#: Hard cap on any file this protocol reads: a real message is a few KiB (quotes with 240 bars
#: stay well under 100 KiB), so anything bigger is hostile or corrupt and is not parsed.
MAX_FILE_BYTES = 2 * 1024 * 1024

#: ASCII digits only (``\d`` would also accept other scripts' digits, e.g. "١٥٩٢٠١")
CODE_PATTERN = r"^[0-9]{6}\.(SZ|SH)$"
#: anchored at both ends with ``\A``/``\Z``: ``$`` would let a trailing newline through, and a
#: signal id with any whitespace around it is a different, invalid id
SIGNAL_ID_RE = re.compile(r"\A(BUY|SELL)_([0-9]{6}\.(?:SZ|SH))_L([1-9])_([0-9a-f]{8})\Z", re.ASCII)

Direction = Literal["BUY", "SELL"]
Code = Annotated[str, Field(pattern=CODE_PATTERN)]
# strict: a price is a JSON number — ``true`` or ``"1.0"`` is a wrong type, never coerced to 1.0
NonNegFloat = Annotated[float, Field(ge=0, allow_inf_nan=False, strict=True)]
PosFloat = Annotated[float, Field(gt=0, allow_inf_nan=False, strict=True)]
#: a count of shares or a sequence number: a JSON integer (not ``true``, not ``"100"``, not ``100.5``)
Count = Annotated[int, Field(ge=0, strict=True)]


class ProtocolError(ValueError):
    """A message that cannot be decoded or fails validation; ``str()`` is the reason."""


class _Message(BaseModel):
    """Base for all shared-folder messages: extra fields allowed, strict on the known ones."""

    model_config = ConfigDict(
        extra="allow", frozen=True, strict=False, populate_by_name=True, allow_inf_nan=False
    )

    schema_version: int = Field(default=SCHEMA_VERSION, ge=1)

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, v: int) -> int:
        if v > SCHEMA_VERSION:
            raise ValueError(f"schema_version {v} is newer than this program understands ({SCHEMA_VERSION})")
        return v


# --------------------------------------------------------------------------- quotes


class Bar(BaseModel):
    """One completed 1-minute bar; ``time`` is the bar's end time (Asia/Shanghai)."""

    model_config = ConfigDict(extra="allow", frozen=True, allow_inf_nan=False)

    time: AwareDatetime
    open: PosFloat
    high: PosFloat
    low: PosFloat
    close: PosFloat
    volume: NonNegFloat = 0.0

    @model_validator(mode="after")
    def _ohlc_consistent(self) -> Bar:
        if not (self.low <= min(self.open, self.close) and self.high >= max(self.open, self.close)):
            raise ValueError(f"bar {self.time.isoformat()}: OHLC inconsistent")
        return self


class BrokerPosition(BaseModel):
    """The broker's position in the traded code, as the bridge read it."""

    model_config = ConfigDict(extra="allow", frozen=True, allow_inf_nan=False)

    volume: Count = 0
    can_use_volume: Count = 0
    avg_price: NonNegFloat = 0.0
    market_value: NonNegFloat = 0.0


class AssetInfo(BaseModel):
    """The account's asset summary."""

    model_config = ConfigDict(extra="allow", frozen=True, allow_inf_nan=False)

    cash: float = 0.0
    total_asset: float = 0.0
    market_value: float = 0.0
    frozen_cash: float = 0.0


class SharedQuote(_Message):
    """``shared_quote.json``: bridge → app, rewritten every few seconds."""

    code: Code
    time: AwareDatetime
    price: PosFloat
    pre_close: NonNegFloat = 0.0
    open: NonNegFloat = 0.0
    high: NonNegFloat = 0.0
    low: NonNegFloat = 0.0
    volume: NonNegFloat = 0.0
    amount: NonNegFloat = 0.0
    bid_price: list[NonNegFloat] = Field(default_factory=list, max_length=10)
    bid_vol: list[NonNegFloat] = Field(default_factory=list, max_length=10)
    ask_price: list[NonNegFloat] = Field(default_factory=list, max_length=10)
    ask_vol: list[NonNegFloat] = Field(default_factory=list, max_length=10)
    up_stop_price: NonNegFloat = 0.0
    down_stop_price: NonNegFloat = 0.0
    price_tick: PosFloat = 0.001
    #: the ETF's indicative net value (IOPV) when the bridge can read it; 0 = not available
    iopv: NonNegFloat = 0.0
    history: list[Bar] = Field(default_factory=list, max_length=5000)
    position: BrokerPosition | None = None
    asset: AssetInfo | None = None
    positions_status: Literal["ok", "failed"] = "failed"
    connected: bool = True
    account_status: str = ""
    seq: Count
    heartbeat: AwareDatetime
    producer: str = ""
    #: the bridge's history download while it warms up (e.g. "下载历史数据 3/10"); "" when done
    warmup: Annotated[str, Field(max_length=200)] = ""

    @field_validator("history")
    @classmethod
    def _history_sorted(cls, bars: list[Bar]) -> list[Bar]:
        for a, b in itertools.pairwise(bars):
            if b.time <= a.time:
                raise ValueError("history bars must be strictly increasing in time")
        return bars

    @model_validator(mode="after")
    def _failed_means_no_position(self) -> SharedQuote:
        # A failed position query must never look like "flat": it carries no position at all.
        if self.positions_status == "failed" and self.position is not None:
            raise ValueError("positions_status 'failed' must not carry a position")
        if self.positions_status == "ok" and self.position is None:
            raise ValueError("positions_status 'ok' needs a position (volume 0 when flat)")
        return self


# --------------------------------------------------------------------------- signals


class OrderSignal(_Message):
    """``order_signal.json``: app → executor. At most one is outstanding.

    Numbers are strict (a string, a boolean or ``1000.0`` where an integer belongs is an error,
    not a number), and ``timestamp`` must be an ISO-8601 text with a UTC offset.
    """

    signal_id: str
    code: Code
    direction: Direction
    price: PosFloat
    shares: Annotated[int, Field(strict=True)]
    timestamp: AwareDatetime
    reason: Annotated[str, Field(max_length=500)] = ""
    layer: Annotated[int, Field(ge=1, le=9, strict=True)]
    hmac: str | None = None

    @field_validator("timestamp", mode="before")
    @classmethod
    def _timestamp_is_text(cls, value: Any) -> Any:
        if isinstance(value, int | float):
            raise ValueError("timestamp must be ISO-8601 text with a UTC offset, not a number")
        return value

    @model_validator(mode="after")
    def _id_matches(self) -> OrderSignal:
        m = SIGNAL_ID_RE.match(self.signal_id)
        if m is None:
            raise ValueError(
                f"signal_id {self.signal_id!r} does not match {{BUY|SELL}}_<code>_L<layer>_<8 hex>"
            )
        direction, code, layer, _ = m.groups()
        if direction != self.direction or code != self.code or int(layer) != self.layer:
            raise ValueError("signal_id disagrees with direction, code or layer")
        return self

    def payload(self) -> dict[str, Any]:
        """The signed content: every field except ``hmac``, JSON-ready."""
        data = self.model_dump(mode="json")
        data.pop("hmac", None)
        return data

    def digest(self) -> str:
        """SHA-256 of the canonical payload; tells "same id, same order" from a conflicting reuse."""
        return hashlib.sha256(canonical_json(self.payload())).hexdigest()


def make_signal_id(direction: str, code: str, layer: int, token: str) -> str:
    """Format a signal id: ``BUY_159201.SZ_L3_1a2b3c4d``; ``token`` is 8 lowercase hex digits."""
    sid = f"{direction}_{code}_L{layer}_{token}"
    if SIGNAL_ID_RE.match(sid) is None:
        raise ProtocolError(
            f"cannot form a valid signal id from {direction!r}, {code!r}, {layer!r}, {token!r}"
        )
    return sid


def order_remark(signal_id: str) -> str:
    """The ≤ 24-char ASCII ``order_remark`` that tags the broker order for this signal.

    ``B``/``S`` + layer + the 8-hex token + an 8-hex hash of the whole id, e.g. ``B3_1a2b3c4d_9f8e7d6c``
    (20 chars). The hash keeps two ids with the same token but other codes apart.
    """
    m = SIGNAL_ID_RE.match(signal_id)
    if m is None:
        raise ProtocolError(f"not a signal id: {signal_id!r}")
    direction, _code, layer, token = m.groups()
    h = hashlib.sha256(signal_id.encode("ascii")).hexdigest()[:8]
    return f"{direction[0]}{layer}_{token}_{h}"


# --------------------------------------------------------------------------- results


class ResultStatus(StrEnum):
    """Final outcome of a signal as the executor reports it."""

    FILLED = "filled"
    PARTIALLY_FILLED = "partially_filled"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    SIMULATED = "simulated"
    #: the order's fate cannot be established any more (e.g. a crash, then QMT's day rolled over):
    #: never "not placed" — the app holds and reconciles with the broker's position
    IN_DOUBT = "in_doubt"


class OrderResult(_Message):
    """``order_result.json``: executor → app, the final outcome of one signal."""

    signal_id: str
    status: ResultStatus
    order_id: int | None = None
    code: str = ""
    direction: Direction | None = None
    requested_shares: Count = 0
    filled_shares: Count = 0
    avg_price: NonNegFloat = 0.0
    fees: NonNegFloat = 0.0
    message: str = ""
    reason_code: str = ""
    timestamp: AwareDatetime
    simulate: bool = False
    #: ``in_doubt`` evidence: the broker's position in ``code`` just before the order was placed
    #: (from the executor's journal) and when the result was made (``None`` = not known)
    position_at_intent: Annotated[int, Field(ge=0)] | None = None
    broker_position: Annotated[int, Field(ge=0)] | None = None
    hmac: str | None = None

    @model_validator(mode="after")
    def _fills_consistent(self) -> OrderResult:
        if self.filled_shares > self.requested_shares and self.requested_shares > 0:
            raise ValueError("filled_shares exceeds requested_shares")
        if self.filled_shares > 0 and self.avg_price <= 0:
            raise ValueError("a fill needs a positive avg_price")
        if self.status in (ResultStatus.REJECTED, ResultStatus.CANCELLED) and self.filled_shares:
            raise ValueError(f"status {self.status.value} cannot carry filled shares (use partially_filled)")
        return self

    def payload(self) -> dict[str, Any]:
        """The signed content: every field except ``hmac``, JSON-ready."""
        data = self.model_dump(mode="json")
        data.pop("hmac", None)
        return data


class DoneMarker(_Message):
    """``order_signal_done/order_signal_{signal_id}.done``: written when a signal is consumed."""

    signal_id: str
    status: ResultStatus
    timestamp: AwareDatetime


class ExecutedSignals(_Message):
    """``executed_signals.json``: a derived view of the executor's journal (ids already handled)."""

    executed: list[str] = Field(default_factory=list)
    updated: AwareDatetime | None = None


# --------------------------------------------------------------------------- app state


class BookLot(BaseModel):
    """One held layer in the app's book.

    ``shares`` is what the broker really filled, so after a partial fill it need not be a
    multiple of 100. ``buy_price`` is the average fill price (the limit price while the buy is
    still pending), ``cost`` the filled value plus fees.
    """

    model_config = ConfigDict(extra="allow", frozen=True, allow_inf_nan=False)

    layer: Annotated[int, Field(ge=1, le=9)]
    shares: Annotated[int, Field(gt=0)]
    buy_price: PosFloat
    cost: NonNegFloat
    time: AwareDatetime
    signal_id: str = ""


class BookRollback(BaseModel):
    """The part of the book an in-flight signal changed, as it was before (restored on a rejection)."""

    model_config = ConfigDict(extra="allow", frozen=True, allow_inf_nan=False)

    positions: list[BookLot] = Field(default_factory=list, max_length=9)
    last_buy_price: NonNegFloat = 0.0
    bars_since_exit: Annotated[int, Field(ge=-1)] = -1
    pending_buy_shares: Annotated[int, Field(ge=0)] = 0


class DashboardState(_Message):
    """``dashboard_state.json``: the app's persisted layer book (written before every signal)."""

    code: Code
    positions: list[BookLot] = Field(default_factory=list, max_length=9)
    hold_layers: Annotated[int, Field(ge=0, le=9)] = 0
    total_cost: NonNegFloat = 0.0
    pending_buy_shares: Annotated[int, Field(ge=0)] = 0
    last_buy_price: NonNegFloat = 0.0
    pending_signal: OrderSignal | None = None
    applied_results: list[str] = Field(default_factory=list)
    updated: AwareDatetime | None = None
    # --- engine fields (all optional, so an older file still loads) ---------------------
    #: ``live`` for the real book, ``paper`` for the in-process paper book (never mixed)
    mode: Literal["live", "paper"] = "live"
    #: the book as it was before ``pending_signal`` changed it (``None`` when nothing is pending)
    rollback: BookRollback | None = None
    #: cool-down clock: completed 1-minute bars since the last full exit, -1 = no exit yet
    bars_since_exit: Annotated[int, Field(ge=-1)] = -1
    #: end time of the last completed bar the cool-down clock counted
    last_bar_time: AwareDatetime | None = None
    #: ``seq`` of the last quote the engine evaluated (-1 = none yet)
    last_quote_seq: Annotated[int, Field(ge=-1)] = -1
    #: the rule that fired for the pending signal (for display and the decision journal)
    pending_rule: str = ""
    #: the executor reported the pending signal ``in_doubt``: held until the broker's position settles it
    pending_in_doubt: bool = False
    #: durable changes written so far (the newer of two copies of the book has the higher revision)
    revision: Annotated[int, Field(ge=0)] = 0


# --------------------------------------------------------------------------- encode / decode

M = TypeVar("M", bound=BaseModel)


def canonical_json(data: Any) -> bytes:
    """Deterministic JSON bytes (sorted keys, no spaces, ASCII) used for digests and HMACs."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def encode(message: BaseModel) -> bytes:
    """Serialise a message for writing: compact UTF-8 JSON (the C encoder), Chinese kept, never NaN/∞."""
    data = message.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": "), allow_nan=False).encode("utf-8")


class _NonFinite(ValueError):
    """A NaN or infinity in a message (``NaN``, ``Infinity`` or an overflowing literal like ``1e999``)."""


def _reject_constant(name: str) -> float:
    raise _NonFinite(f"{name} is not a number this protocol accepts")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NonFinite(f"{text[:40]} overflows to infinity")
    return value


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def parse_json(text: str) -> Any:
    """``json.loads`` that refuses NaN and infinity anywhere (Python's json accepts them by default)."""
    return json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)


def decode(raw: bytes, model: type[M]) -> M:
    """Parse and validate ``raw`` as ``model``; raise :class:`ProtocolError` with a short reason."""
    if len(raw) > MAX_FILE_BYTES:
        raise ProtocolError(f"file too large ({len(raw)} bytes > {MAX_FILE_BYTES})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        data = parse_json(text)
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except _NonFinite as exc:
        raise ProtocolError(f"NaN/infinity is not allowed ({exc})") from None
    except RecursionError:
        raise ProtocolError("JSON nested too deeply") from None
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit (4300 digits)
        raise ProtocolError(f"not usable JSON ({str(exc)[:120]})") from None
    if not isinstance(data, dict):
        raise ProtocolError(f"expected a JSON object, got {type(data).__name__}")
    if _SURROGATE_ESCAPE.search(text):  # rare: only then the full check
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:  # a lone "\ud800" decodes to a string no file can hold
            raise ProtocolError("text with a lone surrogate (\\ud800-\\udfff) is not valid Unicode") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ProtocolError(describe_validation_error(exc)) from None


def describe_validation_error(exc: ValidationError) -> str:
    """One readable line from a pydantic error: ``field: problem; field: problem``."""
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err["loc"]) or "(message)"
        parts.append(f"{loc}: {err['msg']}")
    more = exc.error_count() - len(parts)
    return "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")



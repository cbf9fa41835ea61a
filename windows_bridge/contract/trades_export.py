"""``trades/trades_YYYYMMDD.json``: the broker's trades and orders of one day (bridge → app, after the close).

The bridge writes it after the close from ``query_stock_trades`` / ``query_stock_orders``; the app's
end-of-day reconciliation matches it against the day's signals and results. QMT answers ``None``
both for "no trades today" and for a failed query, so the file says which of three things it knows:

- ``ok``: the broker answered with its list (possibly empty, e.g. orders exist but none filled);
- ``unconfirmed``: QMT answered nothing for trades *and* orders although the session is up — an
  empty day or a failed query, QMT cannot tell; it is never read as "no trades" when the app's own
  results say something filled;
- ``failed``: no answer (not connected), or an answer that contradicts itself (orders with fills but
  no trades). Reconciliation refuses to call such a day clean.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from windows_bridge.contract.messages import BrokerPosition, Code, Direction, NonNegFloat, _Message

_NAME_RE = re.compile(r"^trades_(\d{8})\.json$")

ExportStatus = Literal["ok", "unconfirmed", "failed"]


def trades_export_name(day: date) -> str:
    """File name of the export for ``day`` (inside :data:`TRADES_DIR`)."""
    return f"trades_{day:%Y%m%d}.json"


def day_of_export(name: str) -> date | None:
    """The day a file name of :func:`trades_export_name` stands for, or ``None``."""
    m = _NAME_RE.match(name)
    if m is None:
        return None
    try:
        return date(int(m.group(1)[:4]), int(m.group(1)[4:6]), int(m.group(1)[6:]))
    except ValueError:
        return None


class ExportedTrade(BaseModel):
    """One fill as the broker reported it."""

    model_config = ConfigDict(extra="allow", frozen=True)

    trade_id: str
    order_id: int
    code: str
    direction: Direction
    shares: Annotated[int, Field(gt=0)]
    price: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    fees: NonNegFloat = 0.0
    remark: str = ""
    time: AwareDatetime | None = None


class ExportedOrder(BaseModel):
    """One order of the day as the broker reported it."""

    model_config = ConfigDict(extra="allow", frozen=True)

    order_id: int
    code: str
    direction: Direction
    price: NonNegFloat
    shares: Annotated[int, Field(ge=0)]
    filled_shares: Annotated[int, Field(ge=0)] = 0
    avg_price: NonNegFloat = 0.0
    status: str = ""
    remark: str = ""
    message: str = ""
    time: AwareDatetime | None = None


class TradesExport(_Message):
    """The day's broker trades and orders (see the module doc for ``status``)."""

    day: date
    code: Code
    status: ExportStatus
    reason: str = ""
    trades: list[ExportedTrade] = Field(default_factory=list, max_length=5000)
    #: ``None`` when the orders query gave no answer
    orders: list[ExportedOrder] | None = Field(default=None, max_length=5000)
    #: the broker's position in ``code`` at export time (``None``: the query failed)
    position: BrokerPosition | None = None
    #: last price and previous close of ``code`` when the export was written (0 = unknown)
    close_price: NonNegFloat = 0.0
    pre_close: NonNegFloat = 0.0
    written: AwareDatetime
    producer: str = ""

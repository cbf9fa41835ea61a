"""The layer book: pure functions from one :class:`DashboardState` to the next.

The book changes at two moments only:

* when a signal is decided (:func:`begin_buy` / :func:`begin_sell`): the intent is applied at once
  (a buy adds its lot, a sell removes its lots) and the book as it was is kept in ``rollback``;
  this new book plus the pending signal is what gets persisted *before* the signal is written;
* when the signal's result arrives (:func:`apply_result`): a fill confirms the intent with the real
  shares and price, a partial fill keeps what filled (a buy's lot holds the filled shares and
  ``pending_buy_shares`` the unfilled rest; a sell's unsold shares go back into ``positions``), and
  nothing filled (rejected / cancelled) restores ``rollback``. Each ``signal_id`` is applied at most
  once: applied ids are remembered in ``applied_results``.

``hold_layers`` and ``total_cost`` are always recomputed from ``positions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal

from windows_bridge.contract.messages import (
    BookLot,
    BookRollback,
    DashboardState,
    OrderResult,
    OrderSignal,
    ResultStatus,
)

#: how many applied signal ids the book remembers (far more than one day's signals)
APPLIED_MEMORY = 500


class Outcome(StrEnum):
    """What :func:`apply_result` did with a result."""

    FILLED = "filled"
    PARTIAL = "partial"
    ROLLED_BACK = "rolled_back"
    DUPLICATE = "duplicate"
    UNKNOWN = "unknown"
    IN_DOUBT = "in_doubt"


@dataclass(frozen=True)
class Applied:
    """The new book and what happened."""

    state: DashboardState
    outcome: Outcome


class BookError(ValueError):
    """An intent that cannot be applied to this book (a bug upstream, never a market condition)."""


def empty_book(code: str, mode: Literal["live", "paper"] = "live") -> DashboardState:
    """A book with no lots, no anchor and nothing pending."""
    return DashboardState(code=code, mode=mode)


def lot_shares(state: DashboardState) -> int:
    """Shares held in lots (the grid's part of the position)."""
    return sum(lot.shares for lot in state.positions)


def with_positions(state: DashboardState, positions: list[BookLot], **changes: object) -> DashboardState:
    """Copy of ``state`` with ``positions`` (sorted by layer) and the derived fields recomputed."""
    ordered = sorted(positions, key=lambda lot: lot.layer)
    total = round(sum(lot.cost for lot in ordered), 2)
    update: dict[str, object] = {"positions": ordered, "hold_layers": len(ordered), "total_cost": total}
    update.update(changes)
    return state.model_copy(update=update)


def _snapshot(state: DashboardState) -> BookRollback:
    return BookRollback(
        positions=list(state.positions), last_buy_price=state.last_buy_price,
        bars_since_exit=state.bars_since_exit, pending_buy_shares=state.pending_buy_shares,
    )


def _check_free(state: DashboardState) -> None:
    if state.pending_signal is not None:
        raise BookError(f"signal {state.pending_signal.signal_id} is still pending")


def begin_buy(state: DashboardState, signal: OrderSignal, now: datetime, rule: str = "") -> DashboardState:
    """Apply a BUY intent: add its lot, move the anchor to the signal price, remember the old book."""
    _check_free(state)
    if signal.direction != "BUY":
        raise BookError("begin_buy needs a BUY signal")
    if any(lot.layer == signal.layer for lot in state.positions):
        raise BookError(f"layer {signal.layer} is already held")
    lot = BookLot(layer=signal.layer, shares=signal.shares, buy_price=signal.price,
                  cost=round(signal.shares * signal.price, 2), time=now, signal_id=signal.signal_id)
    return with_positions(
        state, [*state.positions, lot], last_buy_price=signal.price, pending_signal=signal,
        rollback=_snapshot(state), pending_buy_shares=signal.shares, pending_rule=rule, updated=now,
    )


def begin_sell(
    state: DashboardState, signal: OrderSignal, layers: tuple[int, ...], now: datetime, rule: str = ""
) -> DashboardState:
    """Apply a SELL intent for the lots in ``layers``.

    Selling the last lot moves the anchor to the signal price and starts the cool-down clock.
    """
    _check_free(state)
    if signal.direction != "SELL" or not layers:
        raise BookError("begin_sell needs a SELL signal and at least one layer")
    held = {lot.layer for lot in state.positions}
    if not set(layers) <= held:
        raise BookError(f"layers {sorted(set(layers) - held)} are not held")
    keep = [lot for lot in state.positions if lot.layer not in layers]
    changes: dict[str, object] = {}
    if not keep:
        changes = {"last_buy_price": signal.price, "bars_since_exit": 0, "pending_buy_shares": 0}
    return with_positions(state, keep, pending_signal=signal, rollback=_snapshot(state),
                          pending_rule=rule, updated=now, **changes)


def _settled(state: DashboardState, signal_id: str, now: datetime) -> dict[str, object]:
    applied = [*state.applied_results, signal_id][-APPLIED_MEMORY:]
    return {"pending_signal": None, "rollback": None, "pending_rule": "", "pending_in_doubt": False,
            "applied_results": applied, "updated": now}


def _roll_back(state: DashboardState, rb: BookRollback, signal_id: str, now: datetime) -> DashboardState:
    return with_positions(
        state, list(rb.positions), last_buy_price=rb.last_buy_price, bars_since_exit=rb.bars_since_exit,
        pending_buy_shares=rb.pending_buy_shares, **_settled(state, signal_id, now),
    )


def _confirm_buy(
    state: DashboardState, signal: OrderSignal, result: OrderResult, now: datetime
) -> DashboardState:
    filled = result.filled_shares
    price = result.avg_price if result.avg_price > 0 else signal.price
    lots = []
    for lot in state.positions:
        if lot.signal_id == signal.signal_id:
            cost = round(filled * price + result.fees, 2)
            lot = lot.model_copy(update={"shares": filled, "buy_price": price, "cost": cost})
        lots.append(lot)
    return with_positions(state, lots, pending_buy_shares=max(signal.shares - filled, 0),
                          **_settled(state, signal.signal_id, now))


def _returned_lots(sold: list[BookLot], filled: int) -> list[BookLot]:
    """The unsold part of ``sold``: fills count against the highest layer first."""
    back: list[BookLot] = []
    remaining_fill = filled
    for lot in sorted(sold, key=lambda item: -item.layer):
        taken = min(lot.shares, remaining_fill)
        remaining_fill -= taken
        left = lot.shares - taken
        if left > 0:
            cost = round(lot.cost * left / lot.shares, 2)
            back.append(lot.model_copy(update={"shares": left, "cost": cost}))
    return back


def _confirm_sell(
    state: DashboardState, signal: OrderSignal, result: OrderResult, now: datetime
) -> DashboardState:
    rb = state.rollback or BookRollback()
    current = {lot.layer for lot in state.positions}
    sold = [lot for lot in rb.positions if lot.layer not in current]
    back = _returned_lots(sold, result.filled_shares)
    changes: dict[str, object] = _settled(state, signal.signal_id, now)
    if back and not state.positions:
        # the last lot did not really go: no new anchor, no cool-down
        changes.update(last_buy_price=rb.last_buy_price, bars_since_exit=rb.bars_since_exit,
                       pending_buy_shares=rb.pending_buy_shares)
    return with_positions(state, [*state.positions, *back], **changes)


def apply_result(state: DashboardState, result: OrderResult, now: datetime) -> Applied:
    """Apply ``result`` to the book exactly once (see the module docstring)."""
    signal = state.pending_signal
    if result.signal_id in state.applied_results:
        return Applied(state, Outcome.DUPLICATE)
    if signal is None or signal.signal_id != result.signal_id:
        return Applied(state, Outcome.UNKNOWN)
    if result.status == ResultStatus.IN_DOUBT:
        # never a rollback: the order may have filled; the signal stays pending until the broker says
        return Applied(state.model_copy(update={"pending_in_doubt": True, "updated": now}), Outcome.IN_DOUBT)
    filled = min(result.filled_shares, signal.shares)
    if result.status == ResultStatus.SIMULATED and filled == 0:
        filled = signal.shares
        result = result.model_copy(update={"filled_shares": filled, "avg_price": signal.price})
    if filled == 0:
        return Applied(_roll_back(state, state.rollback or BookRollback(), signal.signal_id, now),
                       Outcome.ROLLED_BACK)
    result = result.model_copy(update={"filled_shares": filled})
    confirm = _confirm_buy if signal.direction == "BUY" else _confirm_sell
    outcome = Outcome.FILLED if filled == signal.shares else Outcome.PARTIAL
    return Applied(confirm(state, signal, result, now), outcome)


def advance_clock(state: DashboardState, bar_times: list[datetime]) -> DashboardState:
    """Count completed bars newer than ``last_bar_time`` on the cool-down clock.

    The first call only sets ``last_bar_time`` (bars before the engine watched are not counted).
    """
    if not bar_times:
        return state
    newest = bar_times[-1]
    if state.last_bar_time is None:
        return state.model_copy(update={"last_bar_time": newest})
    last = state.last_bar_time
    if newest <= last:
        return state
    new_bars = sum(1 for t in bar_times if t > last)
    clock = state.bars_since_exit + new_bars if state.bars_since_exit >= 0 else -1
    return state.model_copy(update={"last_bar_time": newest, "bars_since_exit": clock})


def clear_lots(state: DashboardState, now: datetime) -> DashboardState:
    """Broker truth: the broker holds nothing, so the book holds nothing (anchor kept)."""
    return with_positions(state, [], pending_buy_shares=0, updated=now)


def settled_result(state: DashboardState, broker_shares: int, base_shares: int, now: datetime,
                   ) -> OrderResult | None:
    """The result the broker's position implies for an ``in_doubt`` pending signal (``None``: unclear).

    With the signal applied the broker should hold ``base + lots``; without it ``base + rollback lots``.
    A position equal to one of them settles the question (filled / not filled); one in between is a
    partial fill of the difference; anything else stays unclear. The price of an implied fill is the
    signal's limit (the broker's trades say more; the end-of-day reconciliation checks them).
    """
    signal, rb = state.pending_signal, state.rollback
    if signal is None or rb is None:
        return None
    with_signal = base_shares + lot_shares(state)
    without = base_shares + sum(lot.shares for lot in rb.positions)
    filled = broker_shares - without if signal.direction == "BUY" else without - broker_shares
    if not 0 <= filled <= signal.shares or (with_signal == without):
        return None
    if filled == 0:
        status = ResultStatus.REJECTED
    elif filled == signal.shares:
        status = ResultStatus.FILLED
    else:
        status = ResultStatus.PARTIALLY_FILLED
    return OrderResult(
        signal_id=signal.signal_id, status=status, code=signal.code, direction=signal.direction,
        requested_shares=signal.shares, filled_shares=filled, avg_price=signal.price if filled else 0.0,
        message="in_doubt settled from the broker's position 由券商持仓确定", reason_code="in_doubt_settled",
        timestamp=now,
    )

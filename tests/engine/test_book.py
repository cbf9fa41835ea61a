"""The layer book's pure transitions, plus a hypothesis state machine against a simple model."""

from __future__ import annotations

from hypothesis import settings as hyp_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from miniqmt_gui.live import book as bk
from windows_bridge.contract.messages import OrderResult, OrderSignal, ResultStatus, make_signal_id

from .support import CODE, T0


def _sig(direction, layer, shares, price, n):
    return OrderSignal(signal_id=make_signal_id(direction, CODE, layer, f"{n:08x}"), code=CODE,
                       direction=direction, price=price, shares=shares, timestamp=T0, layer=layer)


def _res(sig, status, filled, price=None):
    return OrderResult(signal_id=sig.signal_id, status=status, requested_shares=sig.shares,
                       filled_shares=filled, avg_price=(price or sig.price) if filled else 0.0,
                       timestamp=T0)


def _bought(state, layer, shares, price, n):
    sig = _sig("BUY", layer, shares, price, n)
    state = bk.begin_buy(state, sig, T0)
    return bk.apply_result(state, _res(sig, ResultStatus.FILLED, shares), T0).state


def test_buy_fill_partial_and_rollback():
    s0 = bk.empty_book(CODE).model_copy(update={"last_buy_price": 1.0})
    sig = _sig("BUY", 1, 1000, 0.98, 1)
    s1 = bk.begin_buy(s0, sig, T0)
    assert s1.hold_layers == 1 and s1.pending_buy_shares == 1000 and s1.last_buy_price == 0.98
    part = bk.apply_result(s1, _res(sig, ResultStatus.PARTIALLY_FILLED, 300, 0.979), T0)
    assert part.outcome is bk.Outcome.PARTIAL
    lot = part.state.positions[0]
    assert lot.shares == 300 and lot.buy_price == 0.979 and part.state.pending_buy_shares == 700
    assert part.state.total_cost == round(300 * 0.979, 2)
    back = bk.apply_result(s1, _res(sig, ResultStatus.REJECTED, 0), T0)
    assert back.outcome is bk.Outcome.ROLLED_BACK
    assert back.state.positions == [] and back.state.last_buy_price == 1.0
    assert back.state.pending_buy_shares == 0
    again = bk.apply_result(part.state, _res(sig, ResultStatus.FILLED, 1000), T0)
    assert again.outcome is bk.Outcome.DUPLICATE and again.state is part.state


def test_sell_all_lots_reanchors_and_partial_sell_returns_the_rest():
    s = bk.empty_book(CODE).model_copy(update={"last_buy_price": 1.0})
    s = _bought(s, 1, 1000, 0.98, 1)
    s = _bought(s, 2, 1000, 0.96, 2)
    sig = _sig("SELL", 2, 2000, 0.99, 3)
    s1 = bk.begin_sell(s, sig, (1, 2), T0)
    assert s1.positions == [] and s1.last_buy_price == 0.99 and s1.bars_since_exit == 0
    full = bk.apply_result(s1, _res(sig, ResultStatus.FILLED, 2000), T0).state
    assert full.positions == [] and full.total_cost == 0 and full.last_buy_price == 0.99
    part = bk.apply_result(s1, _res(sig, ResultStatus.PARTIALLY_FILLED, 1300), T0).state
    # the fill counts against the highest layer first: layer 2 sold, 300 of layer 1 sold
    assert [(lot.layer, lot.shares) for lot in part.positions] == [(1, 700)]
    assert part.hold_layers == 1 and part.total_cost == round(980 * 0.7, 2)
    assert part.last_buy_price == 0.96 and part.bars_since_exit == -1


def test_simulated_result_fills_at_the_signal_price():
    s = bk.empty_book(CODE)
    sig = _sig("BUY", 1, 500, 1.2, 1)
    s1 = bk.begin_buy(s, sig, T0)
    res = OrderResult(signal_id=sig.signal_id, status=ResultStatus.SIMULATED, requested_shares=500,
                      filled_shares=500, avg_price=1.2, timestamp=T0, simulate=True)
    out = bk.apply_result(s1, res, T0)
    assert out.outcome is bk.Outcome.FILLED and out.state.positions[0].shares == 500


def test_unknown_result_changes_nothing():
    s = bk.empty_book(CODE)
    out = bk.apply_result(s, _res(_sig("BUY", 1, 100, 1.0, 9), ResultStatus.FILLED, 100), T0)
    assert out.outcome is bk.Outcome.UNKNOWN and out.state is s


def test_cool_down_clock_counts_new_bars_only():
    from datetime import timedelta

    s = bk.empty_book(CODE).model_copy(update={"bars_since_exit": 0})
    times = [T0 + timedelta(minutes=k) for k in range(3)]
    s = bk.advance_clock(s, times)
    assert s.bars_since_exit == 0 and s.last_bar_time == times[-1]
    s = bk.advance_clock(s, [*times, T0 + timedelta(minutes=3), T0 + timedelta(minutes=4)])
    assert s.bars_since_exit == 2
    assert bk.advance_clock(s, times) is s


# ----------------------------------------------------------------------------- state machine


class BookMachine(RuleBasedStateMachine):
    """Random buys/sells/results against a plain model: {layer: shares} plus applied ids."""

    def __init__(self) -> None:
        super().__init__()
        self.state = bk.empty_book(CODE).model_copy(update={"last_buy_price": 1.0})
        self.model: dict[int, int] = {}
        self.pending: OrderSignal | None = None
        self.pending_layers: tuple[int, ...] = ()
        self.applied: list[str] = []
        self.results: list[OrderResult] = []
        self.n = 0

    def _next(self) -> int:
        self.n += 1
        return self.n

    @precondition(lambda self: self.pending is None and len(self.model) < 9)
    @rule(lots=st.integers(1, 30))
    def buy(self, lots):
        layer = len(self.model) + 1
        while layer in self.model:
            layer += 1
        if layer > 9:
            return
        sig = _sig("BUY", layer, lots * 100, 1.0, self._next())
        self.state = bk.begin_buy(self.state, sig, T0)
        self.pending, self.pending_layers = sig, (layer,)

    @precondition(lambda self: self.pending is None and bool(self.model))
    @rule(data=st.data())
    def sell(self, data):
        layers = tuple(sorted(data.draw(st.sets(st.sampled_from(sorted(self.model)), min_size=1))))
        shares = sum(self.model[k] for k in layers)
        sig = _sig("SELL", max(layers), shares, 1.0, self._next())
        self.state = bk.begin_sell(self.state, sig, layers, T0)
        self.pending, self.pending_layers = sig, layers

    @precondition(lambda self: self.pending is not None)
    @rule(frac=st.integers(0, 10), status=st.sampled_from(list(ResultStatus)))
    def result(self, frac, status):
        sig = self.pending
        assert sig is not None
        filled = sig.shares * frac // 10
        if status in (ResultStatus.REJECTED, ResultStatus.CANCELLED, ResultStatus.IN_DOUBT):
            filled = 0
        elif status in (ResultStatus.FILLED, ResultStatus.SIMULATED):
            filled = sig.shares
        res = _res(sig, status, filled)
        out = bk.apply_result(self.state, res, T0)
        self.state = out.state
        if status is ResultStatus.IN_DOUBT:  # never a rollback: the signal stays pending, in doubt
            assert out.outcome is bk.Outcome.IN_DOUBT and self.state.pending_in_doubt
            self.state = bk.apply_result(self.state, _res(sig, ResultStatus.REJECTED, 0), T0).state
            filled = 0
        self._model_apply(sig, filled)
        self.applied.append(sig.signal_id)
        self.results.append(res)
        self.pending = None

    def _model_apply(self, sig, filled):
        if sig.direction == "BUY":
            if filled:
                self.model[sig.layer] = filled
            return
        left = filled
        for layer in sorted(self.pending_layers, reverse=True):
            take = min(self.model[layer], left)
            left -= take
            self.model[layer] -= take
            if self.model[layer] == 0:
                del self.model[layer]

    @precondition(lambda self: bool(self.results))
    @rule(data=st.data())
    def replay_old_result(self, data):
        res = data.draw(st.sampled_from(self.results))
        out = bk.apply_result(self.state, res, T0)
        assert out.outcome is bk.Outcome.DUPLICATE and out.state is self.state

    @invariant()
    def book_matches_model(self):
        settled = {lot.layer: lot.shares for lot in self.state.positions}
        if self.pending is None:
            assert settled == self.model
        assert all(lot.shares > 0 for lot in self.state.positions)
        assert self.state.hold_layers == len(self.state.positions)
        assert abs(self.state.total_cost - sum(lot.cost for lot in self.state.positions)) < 0.02
        assert self.state.pending_buy_shares >= 0

    @invariant()
    def each_result_applied_once(self):
        assert len(set(self.applied)) == len(self.applied)
        assert self.state.applied_results == self.applied[-bk.APPLIED_MEMORY:]
        assert (self.state.pending_signal is None) == (self.pending is None)


TestBookMachine = BookMachine.TestCase
TestBookMachine.settings = hyp_settings(max_examples=150, stateful_step_count=30, deadline=None)

"""``miniqmt run --headless --adopt-broker-lots``: a reconcile prompt is answered by adopting."""

from __future__ import annotations

from miniqmt_gui.commands.run_cmd import adopt_on_reconcile
from miniqmt_gui.live.events import ReconcileEvent
from windows_bridge.contract.messages import BrokerPosition

from .support import make_quote, write_quote


def _broker_quote(seq, clock, volume):
    quote = make_quote(seq, 1.0, clock.now, volume=volume, market_value=volume * 1.0, asset_mv=volume * 1.0)
    return quote.model_copy(update={"position": BrokerPosition(volume=volume, can_use_volume=volume,
                                                               avg_price=1.02, market_value=volume * 1.0)})


def test_adopt_flag_adopts_the_broker_grid_shares(make_engine, settings, shared, clock):
    cfg = settings.model_copy(update={"base_shares": 10_000})
    engine = make_engine(settings=cfg)
    seen: list[object] = []
    engine.add_listener(seen.append)
    engine.add_listener(adopt_on_reconcile(engine))
    engine.start()
    clock.advance(3)
    write_quote(shared, _broker_quote(1, clock, 10_000 + 6_000))  # broker: base + 6,000 grid shares
    engine.step()
    prompts = [e for e in seen if isinstance(e, ReconcileEvent)]
    assert prompts and prompts[0].broker_shares == 16_000 and prompts[0].book_shares == 0
    assert "reconcile" in engine.status.blockers
    clock.advance(3)
    write_quote(shared, _broker_quote(2, clock, 16_000))
    engine.step()  # the queued adopt runs at the start of this step
    adopted = [lot for lot in engine.book.positions if lot.signal_id == "adopted"]
    assert sum(lot.shares for lot in adopted) == 6_000  # (the grid may then trade on as usual)
    assert all(lot.buy_price == 1.02 for lot in adopted)
    assert "reconcile" not in engine.status.blockers


def test_without_the_flag_buys_stay_paused(make_engine, settings, shared, clock):
    engine = make_engine(settings=settings.model_copy(update={"base_shares": 10_000}))
    engine.start()
    for seq in (1, 2, 3):
        clock.advance(3)
        write_quote(shared, _broker_quote(seq, clock, 16_000))
        engine.step()
    assert engine.book.positions == [] and "reconcile" in engine.status.blockers

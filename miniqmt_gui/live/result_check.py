"""Is a result in ``order_result.json`` really the answer to the pending signal?

The shared folder is writable by anything on the Mac or in the VM, so a result is applied to the book
only when it passes every check below; anything else is refused loudly (log, alert) and the engine
keeps waiting for the real one:

* when an HMAC key is configured, the result must carry a valid signature (the executor signs them);
* the result must name the pending signal's id, and — when it names them — its code and direction;
* ``requested_shares`` must be the signal's shares (0 is accepted only for a refusal that carries no
  fill: the executor's answer to a signal file it could not read);
* ``filled_shares`` may not exceed the signal's shares, and a fill's average price must be a price a
  limit order at the signal's price can get: not worse than the limit, and not better than the
  collar (a "fill" far away from the limit is not a fill of this order).
"""

from __future__ import annotations

from windows_bridge.contract.messages import OrderResult, OrderSignal, ResultStatus
from windows_bridge.contract.signing import verify

#: float noise allowed when comparing an average fill price with the limit
PRICE_EPS = 1e-9


def refusal(result: OrderResult, pending: OrderSignal, *, key: bytes | None, collar: float) -> str:
    """Why ``result`` may not be applied to ``pending`` ("" when it may)."""
    if result.signal_id != pending.signal_id:
        return f"result is for {result.signal_id!r}, not the pending {pending.signal_id}"
    if key is not None and not verify(result, key):
        return "result signature missing or wrong (an HMAC key is configured)"
    if result.code and result.code != pending.code:
        return f"result code {result.code} differs from the signal's {pending.code}"
    if result.direction is not None and result.direction != pending.direction:
        return f"result direction {result.direction} differs from the signal's {pending.direction}"
    no_fill_refusal = result.status is ResultStatus.REJECTED and result.filled_shares == 0
    if result.requested_shares != pending.shares and not (no_fill_refusal and result.requested_shares == 0):
        return f"result requested {result.requested_shares} shares, the signal {pending.shares}"
    if result.filled_shares > pending.shares:
        return f"result filled {result.filled_shares} > the signal's {pending.shares} shares"
    if result.filled_shares > 0:
        return _price_refusal(result.avg_price, pending, collar)
    return ""


def _price_refusal(avg: float, pending: OrderSignal, collar: float) -> str:
    limit = pending.price
    if pending.direction == "BUY":
        worst, best = limit + PRICE_EPS, limit * (1 - collar) - PRICE_EPS
        bad = avg > worst or avg < best
    else:
        worst, best = limit - PRICE_EPS, limit * (1 + collar) + PRICE_EPS
        bad = avg < worst or avg > best
    if bad:
        return (f"average fill {avg} is not a fill of a {pending.direction} limit at {limit} "
                f"(collar {collar:.1%})")
    return ""

"""The executor's side of a broker session: keeping it up, asking patiently, knowing when to give up.

A lost session (QMT restarted, network blip, nightly logout, a hung call) is brought back with
:meth:`Broker.reconnect` — a new session id, with the adapter's backoff — from whatever loop is
waiting on the broker. A query that fails is asked again; a failure is never read as "nothing
there". When the adapter says it cannot recover in this process (``fatal``: repeated hung calls),
:class:`BrokerUnrecoverable` ends the process with a non-zero code so its supervisor (Task
Scheduler) restarts it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from windows_bridge.brokers.interface import Broker, BrokerTrade, trades_of

log = logging.getLogger(__name__)

T = TypeVar("T")


class BrokerUnrecoverable(RuntimeError):
    """The broker client of this process cannot be recovered: exit and let the supervisor restart."""


class TrackingInterrupted(RuntimeError):
    """The process is stopping while an order works or the broker is awaited; resolved at restart."""


def fatal_reason(broker: Broker) -> str:
    """The adapter's "cannot recover" reason (``""``; the simulated broker never has one)."""
    return str(getattr(broker, "fatal", "") or "")


def ensure_session(broker: Broker) -> bool:
    """True when the session is up, trying one reconnect (the adapter paces them) when it is not."""
    reason = fatal_reason(broker)
    if reason:
        raise BrokerUnrecoverable(reason)
    if broker.connected:
        return True
    return broker.reconnect()


def patiently(
    what: str,
    query: Callable[[], T | None],
    broker: Broker,
    *,
    stop: threading.Event,
    sleep: Callable[[float], None],
    retry_s: float,
) -> T:
    """``query()`` until it answers (not ``None``), reconnecting in between; stops only on ``stop``."""
    warned = False
    while True:
        if ensure_session(broker):
            answer = query()
            if answer is not None:
                if warned:
                    log.info("券商已应答 %s answered again", what)
                return answer
        if not warned:
            log.warning("%s 无应答，等待重试（从不猜测） %s failed; retrying, never guessing", what, what)
            warned = True
        if stop.is_set():
            raise TrackingInterrupted(f"stopping while waiting for {what}")
        sleep(retry_s)


def order_trades(
    broker: Broker, order_id: int | None, remark: str, *, attempts: int = 3, sleep: Callable[[float], None]
) -> list[BrokerTrade] | None:
    """The fills of one order (by id, else by remark); ``None`` when the trade query keeps failing."""
    for attempt in range(attempts):
        trades = broker.query_trades() if ensure_session(broker) else None
        if trades is not None:
            return trades_of(trades, order_id, remark)
        if attempt + 1 < attempts:
            sleep(0.2)
    return None

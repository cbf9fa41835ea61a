"""The user-facing texts of the live engine: one catalogue, Chinese first, English available.

Code refers to a message by its key (``"stale"``); :func:`text` formats it in the chosen
language. Keys are stable: the GUI and tests match on them, never on the wording.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]

CATALOGUE: dict[str, tuple[str, str]] = {
    # trading states
    "state_running": ("运行中", "running"),
    "state_stopped": ("已停止：{why}", "stopped: {why}"),
    "state_sell_only": ("只卖不买（减仓）：{why}", "sell-only (reducing): {why}"),
    "state_halted": ("已熔断：{why}", "halted: {why}"),
    "why_not_started": ("尚未启动", "not started yet"),
    "why_user": ("用户操作", "by the user"),
    "why_stop_file": ("STOP 文件存在，执行器不会下单",
                      "the STOP file is present; the executor places nothing"),
    # blockers (why no signal goes out right now)
    "stale": ("行情已过期，暂停发单", "quotes are stale, no orders"),
    "no_quote": ("等待行情", "waiting for quotes"),
    "bad_quote": ("行情文件无效：{error}", "quote file invalid: {error}"),
    "disconnected": ("行情端未连接 QMT", "the bridge is not connected to QMT"),
    "closed": ("休市，下一交易时段 {when}", "market closed until {when}"),
    "warming_up": ("指标预热中（{bars} 根K线）", "indicators warming up ({bars} bars)"),
    "pending": ("等待执行结果：{signal_id}", "waiting for the result of {signal_id}"),
    "silent": ("静默期至 {until}", "silent period until {until}"),
    "mismatch": ("持仓不一致，暂停买入：{detail}", "position mismatch, buys paused: {detail}"),
    "code_mismatch": ("行情代码 {got} 与策略代码 {want} 不符", "quote code {got} differs from {want}"),
    # events
    "signal_sent": ("已发出信号 {signal_id}：{direction} {shares} 股 @ {price}",
                    "signal {signal_id} sent: {direction} {shares} @ {price}"),
    "signal_reemitted": ("恢复：重新发出同一信号 {signal_id}",
                         "recovery: re-emitted the same signal {signal_id}"),
    "signal_waiting": ("恢复：执行器已收到 {signal_id}，等待结果",
                       "recovery: the executor has {signal_id}, waiting for its result"),
    "result_applied": ("已处理结果 {signal_id}：{status}，成交 {filled}/{requested} 股",
                       "result {signal_id} applied: {status}, filled {filled}/{requested}"),
    "result_rolled_back": ("{signal_id} 未成交（{status}）：已回滚，进入静默期",
                           "{signal_id} not filled ({status}): rolled back, silent period started"),
    "result_unknown": ("忽略未知信号的结果 {signal_id}", "ignored a result for unknown signal {signal_id}"),
    "sync_cleared": ("券商持仓为零（连续 {count} 次确认），已清空层仓",
                     "the broker reports zero ({count} snapshots in a row): lots cleared"),
    "sync_mismatch": ("券商持仓 {broker} 股，账本 {book} 股", "broker holds {broker}, the book {book}"),
    "sync_resolved": ("持仓已一致", "positions agree again"),
    "anchor_init": ("初始锚点 {price}", "first anchor {price}"),
    "params_set": ("参数已更新", "parameters updated"),
    "state_dropped": ("状态文件：丢弃无效条目 {what}", "state file: dropped invalid entry {what}"),
    "state_corrupt": ("状态文件损坏，已另存为 {name}，从空账本开始",
                      "state file corrupt, kept as {name}; starting with an empty book"),
}


def text(key: str, lang: Lang = "zh", **values: object) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in; unknown keys come back as is."""
    pair = CATALOGUE.get(key)
    if pair is None:
        return key
    template = pair[0] if lang == "zh" else pair[1]
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template

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
    "link_down": ("行情端失联：{seconds} 秒没有新行情（检查 Windows 中的 miniqmt-bridge 与共享文件夹）",
                  "bridge link down: no new quote for {seconds} s "
                  "(check miniqmt-bridge in Windows and the share)"),
    "bad_quote": ("行情文件无效：{error}", "quote file invalid: {error}"),
    "disconnected": ("行情端未连接 QMT", "the bridge is not connected to QMT"),
    "closed": ("休市，下一交易时段 {when}", "market closed until {when}"),
    "warming_up": ("指标预热中（{bars} 根K线）", "indicators warming up ({bars} bars)"),
    "pending": ("等待执行结果：{signal_id}", "waiting for the result of {signal_id}"),
    "silent": ("静默期至 {until}", "silent period until {until}"),
    "mismatch": ("持仓不一致，暂停买入：{detail}", "position mismatch, buys paused: {detail}"),
    "code_mismatch": ("行情代码 {got} 与策略代码 {want} 不符", "quote code {got} differs from {want}"),
    "not_owner": ("仅观察：共享文件夹由 {holder} 交易", "watching only: {holder} trades this folder"),
    "base_unknown": ("底仓未设置，实盘不能交易（设置 → 底仓股数）",
                     "base position unknown: live trading needs it (settings → base shares)"),
    "pool_refused": ("资金池拒绝买入第 {layer} 层（{reason}）："
                     "需要 {cost}，池中可用 {free}，保留金 {reserve}",
                     "capital pool refused layer {layer} ({reason}): needs {cost}, pool free {free}, "
                     "reserve {reserve}"),
    "quote_refused": ("行情文件不可信：{why}", "quote file not trusted: {why}"),
    "in_doubt": ("委托状态不明 {signal_id}：等待券商持仓确认，暂停买入",
                 "order {signal_id} in doubt: waiting for the broker's position, buys paused"),
    "pending_stuck": ("信号 {signal_id} 多次重发仍无结果：请检查执行器，暂停买入",
                      "no result for {signal_id} after every re-send: check the executor; buys paused"),
    "unverified": ("等待券商持仓核对账本，暂停买入",
                   "waiting for the broker's position to confirm the book; buys paused"),
    "reconcile": ("账本与券商持仓不一致，需要核对（采用券商持仓或保持暂停）",
                  "the book and the broker disagree: reconcile (adopt the broker's shares or keep paused)"),
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
    "state_corrupt": ("状态文件损坏，已另存为 {name}", "state file unusable, kept as {name}"),
    "book_rebuilt": ("账本已从 {source} 恢复，核对券商持仓前暂停买入",
                     "book restored from {source}; buys wait for the broker's position to agree"),
    "book_verified": ("账本与券商持仓一致", "the book agrees with the broker's position"),
    "reconcile_needed": ("账本与券商持仓不一致：券商 {broker} 股，底仓 {base}，账本 {book} 股。"
                         "请在界面选择“采用券商持仓”或保持暂停（无界面：miniqmt run --adopt-broker-lots）",
                         "book and broker disagree: broker {broker}, base {base}, book {book}. Adopt the "
                         "broker's grid shares in the app, or keep paused "
                         "(headless: miniqmt run --adopt-broker-lots)"),
    "book_adopted": ("已采用券商持仓：{lots} 层共 {shares} 股 @ {price}",
                     "adopted the broker's position: {lots} lots, {shares} shares @ {price}"),
    "adopt_impossible": ("无法采用：没有可信的券商持仓或底仓未设置",
                         "cannot adopt: no trustworthy broker position, or the base is unknown"),
    "adopt_pending": ("无法采用：仍有信号等待结果", "cannot adopt while a signal is pending"),
    "result_refused": ("拒绝可疑的执行结果 {signal_id}：{why}（继续等待真实结果）",
                       "refused a suspicious result for {signal_id}: {why} (still waiting for the real one)"),
    "result_in_doubt": ("执行器报告 {signal_id} 状态不明：保持该信号，按券商持仓核对，暂停买入",
                        "the executor reports {signal_id} in doubt: holding it, settling from the broker's "
                        "position, buys paused"),
    "in_doubt_settled": ("由券商持仓确定 {signal_id}：成交 {filled} 股",
                         "{signal_id} settled from the broker's position: {filled} filled"),
    "signal_resent": ("{signal_id} 仍无结果：第 {tries} 次重发同一信号",
                      "still no result for {signal_id}: re-sent the same signal (try {tries})"),
    "owner_now": ("本程序现在负责交易（已取得共享文件夹的所有权）", "this app now owns the shared folder"),
    "owner_lost": ("另一个程序 {holder} 接管了共享文件夹：本程序停止交易",
                   "another app ({holder}) took the shared folder over: this one stops trading"),
    "why_not_owner": ("另一个程序负责交易", "another app trades this folder"),
    "link_down_said": ("行情端失联：{seconds} 秒没有新的行情文件，暂停发单",
                       "the bridge link is down: no new quote file for {seconds} s; no orders"),
    "link_back": ("行情端已恢复", "the bridge link is back"),
    # manual intervention
    "manual_sell": ("手动卖出 L{layer}：{shares} 股 @ {price}（经同一信号通道，已记入决策日志）",
                    "manual sell of L{layer}: {shares} @ {price} (same signal path, journaled)"),
    "manual_cancel": ("已请求执行端撤销 {signal_id} 的委托（结果照常回报）",
                      "asked the executor to cancel the order of {signal_id} "
                      "(its result comes back as usual)"),
    "manual_edit": ("已手动修改层仓：{lots} 层共 {shares} 股（已记入决策日志；等待券商持仓核对）",
                    "lots edited by hand: {lots} lots, {shares} shares (journaled; waiting for the broker "
                    "to agree)"),
    "manual_refused": ("手动操作未执行：{why}", "manual action not done: {why}"),
    "manual_not_owner": ("本程序只在观察，不能交易", "this app only watches"),
    "manual_no_pending": ("没有等待结果的委托", "no order is outstanding"),
    "manual_pending": ("仍有信号等待结果，请先等待或撤单",
                       "a signal is still pending: wait or cancel it first"),
    "manual_no_layer": ("该层没有持仓", "that layer holds nothing"),
    "manual_blocked": ("当前不能发单（看状态栏的原因）", "no order can go out now (see the status bar)"),
    "manual_bad_lots": ("层仓无效：层 1–9 不重复，股数与价格为正", "invalid lots: layers 1–9 once each, "
                        "positive shares and prices"),
    "step_failed": ("引擎步骤出错：{error}（下一步先恢复）",
                    "engine step failed: {error} (recovering next step)"),
}


#: a result's status in the words of QMT's order page (a final partial fill had its rest cancelled: 部撤)
STATUS_WORDS: dict[str, tuple[str, str]] = {
    "filled": ("已成", "filled"), "partially_filled": ("部撤", "partly filled, rest cancelled"),
    "cancelled": ("已撤", "cancelled"), "rejected": ("废单", "rejected"),
    "simulated": ("模拟成交", "simulated"),
    "in_doubt": ("状态不明", "in doubt"),
}


def status_word(status: str, lang: Lang = "zh") -> str:
    """``filled`` → 已成, ``partially_filled`` → 部撤, … (unknown values as they are)."""
    pair = STATUS_WORDS.get(status)
    return status if pair is None else pair[0] if lang == "zh" else pair[1]


def text(key: str, lang: Lang = "zh", **values: object) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in; unknown keys come back as is.

    A ``status`` value is said in the words traders know (:func:`status_word`).
    """
    pair = CATALOGUE.get(key)
    if pair is None:
        return key
    if "status" in values:
        values["status"] = status_word(str(values["status"]), lang)
    template = pair[0] if lang == "zh" else pair[1]
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template

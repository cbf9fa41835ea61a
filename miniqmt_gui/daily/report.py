"""The daily report: reconciliation CSV, a one-page HTML report with its PNG, and a summary, kept per day.

Files go to ``<work folder>/reports/YYYY-MM-DD/``: ``reconcile.csv`` (UTF-8 with BOM for Excel),
``report.html`` (self-contained, the PNG embedded), ``report.png`` (the same page as a picture, for a
phone or a chat) and ``summary.json`` (what the notifications and the history list read). Running it
again for a day rewrites that day's files; other days stay as they were.
"""

from __future__ import annotations

import base64
import csv
import html
import json
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from miniqmt_gui.daily.pnl import DayPnl
from miniqmt_gui.daily.reconcile import Reconciliation, Row

REPORTS_DIR = "reports"
CSV_COLUMNS = (
    "signal_id",
    "direction",
    "layer",
    "signal_price",
    "requested",
    "status",
    "app_filled",
    "app_avg",
    "broker_filled",
    "broker_avg",
    "fees",
    "order_ids",
    "slippage_cny",
    "slippage_bps",
    "problems",
    "alarm",
)
#: report fonts: the first one installed wins (CJK first, so Chinese never shows as boxes)
CJK_FONTS = [
    "PingFang SC",
    "Heiti SC",
    "Microsoft YaHei",
    "SimHei",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "WenQuanYi Zen Hei",
    "Source Han Sans SC",
    "DejaVu Sans",
]

LABELS = {
    "zh": {
        "title": "每日报告",
        "clean": "✓ 对账一致",
        "alarms": "⚠ 对账告警",
        "pnl": "当日盈亏",
        "alpha": "Alpha（网格）",
        "beta": "Beta（底仓）",
        "total": "合计",
        "slip": "其中滑点（负数 = 成本）",
        "fees": "手续费",
        "layers": "收盘持仓",
        "hold": "层数",
        "lots": "网格股数",
        "base": "底仓股数",
        "trades": "当日交易",
        "unexplained": "无法解释的券商成交（手工单或其他程序）",
        "export": "券商成交导出",
        "sig": "信号",
        "dir": "方向",
        "req": "委托",
        "filled": "成交",
        "avg": "成交均价",
        "px": "信号价",
        "slip_cny": "滑点 CNY",
        "slip_bps": "滑点 bps",
        "problems": "问题",
        "none": "无",
        "unknown": "未知",
        "close": "收盘",
        "pre": "昨收",
        "status": "状态",
        "chart": "每笔滑点（bps，正数 = 成本）",
    },
    "en": {
        "title": "Daily report",
        "clean": "✓ reconciled",
        "alarms": "⚠ reconciliation alarms",
        "pnl": "P&L",
        "alpha": "Alpha (grid)",
        "beta": "Beta (base)",
        "total": "total",
        "slip": "of which slippage (− = cost)",
        "fees": "fees",
        "layers": "At the close",
        "hold": "layers",
        "lots": "grid shares",
        "base": "base shares",
        "trades": "Trades",
        "unexplained": "Broker trades no signal explains (manual or another program)",
        "export": "broker export",
        "sig": "signal",
        "dir": "side",
        "req": "ordered",
        "filled": "filled",
        "avg": "avg fill",
        "px": "signal px",
        "slip_cny": "slippage CNY",
        "slip_bps": "slippage bps",
        "problems": "problems",
        "none": "none",
        "unknown": "unknown",
        "close": "close",
        "pre": "prev close",
        "status": "status",
        "chart": "slippage per trade (bps, positive = cost)",
    },
}
PROBLEM_TEXT = {
    "zh": {
        "missing_result": "缺少执行结果",
        "in_doubt": "结果存疑（in_doubt）",
        "fill_mismatch": "成交数量与结果不符",
        "order_id_mismatch": "委托号不符",
        "unexplained": "无信号对应的委托",
        "no_export": "没有券商成交导出（行情端收盘后写入）",
        "export_failed": "券商成交查询失败，无法确认",
        "export_unconfirmed": "QMT 未返回成交（空日或查询失败，无法区分）",
        "no_signals": "当日没有信号",
    },
    "en": {
        "missing_result": "result missing",
        "in_doubt": "result in doubt",
        "fill_mismatch": "fill differs from result",
        "order_id_mismatch": "order id differs",
        "unexplained": "no signal for order",
        "no_export": "no broker trades export (the bridge writes it after the close)",
        "export_failed": "broker trades query failed: not confirmed",
        "export_unconfirmed": "QMT returned no trades (empty day or failed query, it cannot tell)",
        "no_signals": "no signals today",
    },
}


@dataclass(frozen=True)
class LotLine:
    """One held layer at the close (when the book of that evening is known)."""

    layer: int
    shares: int
    buy_price: float


@dataclass(frozen=True)
class DailyReport:
    """Where one day's report files are, and its verdict."""

    day: date
    folder: Path
    clean: bool
    alarms: tuple[str, ...]
    summary: dict[str, Any]

    @property
    def html_path(self) -> Path:
        """The HTML page."""
        return self.folder / "report.html"

    @property
    def png_path(self) -> Path:
        """The page as a picture."""
        return self.folder / "report.png"

    @property
    def csv_path(self) -> Path:
        """The reconciliation table."""
        return self.folder / "reconcile.csv"


def report_folder(work_dir: Path, day: date) -> Path:
    """``<work>/reports/YYYY-MM-DD``."""
    return work_dir / REPORTS_DIR / day.isoformat()


def describe(item: str, lang: str = "zh") -> str:
    """A problem/alarm key (``fill_mismatch:SIGNAL`` or ``unexplained:ORDER``) in words."""
    key, _, subject = item.partition(":")
    words = " + ".join(PROBLEM_TEXT[lang].get(k, k) for k in key.split(","))
    return f"{words}: {subject}" if subject else words


def _csv_row(row: Row) -> dict[str, Any]:
    data = asdict(row)
    data["order_ids"] = " ".join(str(i) for i in row.order_ids)
    data["problems"] = " ".join(row.problems)
    return data


def write_csv(rec: Reconciliation, path: Path) -> None:
    """The rows and the unexplained trades as CSV."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(_csv_row(r) for r in (*rec.rows, *rec.unexplained))


def summary(rec: Reconciliation, pnl: DayPnl, code: str, hold_layers: int | None) -> dict[str, Any]:
    """The machine-readable verdict (``summary.json``)."""
    t = rec.totals
    return {
        "day": rec.day.isoformat(),
        "code": code,
        "clean": rec.clean,
        "export_status": rec.export_status,
        "alarms": list(rec.alarms),
        "notes": list(rec.notes),
        "signals": len(rec.rows),
        "unexplained": len(rec.unexplained),
        "bought_shares": t.bought_shares,
        "sold_shares": t.sold_shares,
        "fees": t.fees,
        "slippage_cny": t.slippage_cny,
        "slippage_bps": t.slippage_bps,
        "alpha": pnl.alpha,
        "beta": pnl.beta,
        "close": pnl.close,
        "pre_close": pnl.pre_close,
        "hold_layers": hold_layers,
        "lot_shares": pnl.lot_shares_close,
        "base_shares": pnl.base_shares,
        "pnl_note": pnl.why,
    }


def cjk_font_installed() -> bool:
    """True when one of :data:`CJK_FONTS` (other than the Latin fallback) is installed."""
    from matplotlib import font_manager

    names = {font.name for font in font_manager.fontManager.ttflist}
    return any(name in names for name in CJK_FONTS[:-1])


def _money(value: float | None, lang: str) -> str:
    return LABELS[lang]["unknown"] if value is None else f"{value:+,.2f}"


def plot_page(rec: Reconciliation, pnl: DayPnl, info: dict[str, Any], path: Path, lang: str = "zh") -> None:
    """The one-page picture: verdict, P&L, layers, the trades table and the slippage bars."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if lang == "zh" and not cjk_font_installed():
        lang = "en"  # a picture of empty boxes helps nobody; the HTML around it stays Chinese
    words = LABELS[lang]
    with plt.rc_context(
        {"font.sans-serif": CJK_FONTS, "font.family": "sans-serif", "axes.unicode_minus": False}
    ):
        fig = plt.figure(figsize=(8.27, 11.69), dpi=110)  # A4 portrait
        fig.text(
            0.05,
            0.965,
            f"miniqmt {words['title']} {rec.day.isoformat()} · {info['code']}",
            fontsize=16,
            weight="bold",
        )
        verdict = words["clean"] if rec.clean else f"{words['alarms']} ({len(rec.alarms)})"
        fig.text(0.05, 0.94, verdict, fontsize=13, color="#1b5e20" if rec.clean else "#c1121f", weight="bold")
        y = 0.915
        for alarm in rec.alarms[:6]:
            fig.text(0.07, y, "• " + describe(alarm, lang), fontsize=8.5, color="#c1121f")
            y -= 0.016
        t = rec.totals
        total = None if pnl.alpha is None or pnl.beta is None else pnl.alpha + pnl.beta
        lines = [
            (words["alpha"], _money(pnl.alpha, lang)),
            (words["beta"], _money(pnl.beta, lang)),
            (words["total"], _money(total, lang)),
            (words["slip"], _money(-t.slippage_cny, lang)),
            (words["fees"], _money(-t.fees, lang)),
            (f"{words['close']} / {words['pre']}", f"{pnl.close:.3f} / {pnl.pre_close:.3f}"),
        ]
        fig.text(0.05, y - 0.01, words["pnl"], fontsize=12, weight="bold")
        for k, (name, value) in enumerate(lines):
            fig.text(0.07, y - 0.035 - 0.018 * k, name, fontsize=10)
            fig.text(0.38, y - 0.035 - 0.018 * k, value, fontsize=10, family="monospace")
        layers = info.get("hold_layers")
        fig.text(0.55, y - 0.01, words["layers"], fontsize=12, weight="bold")
        held = [
            (words["hold"], "—" if layers is None else f"{layers} / 9"),
            (words["lots"], f"{pnl.lot_shares_close:,}"),
            (words["base"], words["unknown"] if pnl.base_shares is None else f"{pnl.base_shares:,}"),
        ]
        for k, (name, value) in enumerate(held):
            fig.text(0.57, y - 0.035 - 0.018 * k, name, fontsize=10)
            fig.text(0.78, y - 0.035 - 0.018 * k, value, fontsize=10, family="monospace")
        top = y - 0.16
        height = 0.022 * (min(18, len(rec.rows) + len(rec.unexplained)) + 1)
        _table(fig, rec, [0.05, top - height, 0.9, height], lang)
        ax = fig.add_axes((0.1, 0.05, 0.85, min(0.3, max(0.15, top - height - 0.12))))
        rows = [r for r in rec.rows if r.broker_filled or r.app_filled]
        ax.bar(
            range(len(rows)),
            [r.slippage_bps for r in rows],
            color=["#c1121f" if r.slippage_bps > 0 else "#1b5e20" for r in rows],
        )
        ax.axhline(0, color="#333", lw=0.8)
        ax.set_xticks(range(len(rows)), [f"{r.direction[:1]}L{r.layer}" for r in rows], fontsize=8)
        ax.set_title(words["chart"], fontsize=10)
        ax.grid(axis="y", alpha=0.3)
        fig.savefig(path)
        plt.close(fig)


def _table(fig: Any, rec: Reconciliation, box: list[float], lang: str) -> None:
    words = LABELS[lang]
    ax = fig.add_axes(box)
    ax.axis("off")
    header = [
        words["sig"],
        words["dir"],
        words["px"],
        words["req"],
        words["filled"],
        words["avg"],
        words["slip_cny"],
        words["slip_bps"],
        words["problems"],
    ]
    body = [
        [
            _short_id(r),
            r.direction,
            f"{r.signal_price:.3f}" if r.signal_price else "—",
            f"{r.requested:,}" if r.requested else "—",
            f"{r.broker_filled:,}",
            f"{r.broker_avg:.4f}" if r.broker_avg else "—",
            f"{r.slippage_cny:+.2f}",
            f"{r.slippage_bps:+.1f}",
            " ".join(PROBLEM_TEXT[lang].get(p, p) for p in r.problems)[:22],
        ]
        for r in (*rec.rows, *rec.unexplained)
    ][:18] or [[words["none"]] + [""] * (len(header) - 1)]
    table = ax.table(
        cellText=body, colLabels=header, loc="upper center", cellLoc="center", bbox=(0.0, 0.0, 1.0, 1.0)
    )
    table.auto_set_font_size(False)
    table.set_fontsize(7.5)
    table.scale(1, 1.25)
    for (row, _col), cell in table.get_celld().items():
        if row == 0:
            cell.set_facecolor("#e9ecef")
        elif row - 1 < len(rec.rows) + len(rec.unexplained):
            item = [*rec.rows, *rec.unexplained][row - 1]
            if item.alarm:
                cell.set_facecolor("#fde2e4")
    ax.set_title(words["trades"], fontsize=12, loc="left", weight="bold", pad=8)


def _short_id(row: Row) -> str:
    """``L3_1a2b3c4d`` for a signal, ``#order`` for an unexplained trade."""
    if "unexplained" in row.problems:
        return "#" + " ".join(map(str, row.order_ids))
    return row.signal_id.split("_", 2)[-1] if row.signal_id else "—"


def _html_rows(rows: tuple[Row, ...], lang: str) -> str:
    out = []
    for r in rows:
        problems = html.escape(" / ".join(PROBLEM_TEXT[lang].get(p, p) for p in r.problems))
        cls = ' class="alarm"' if r.alarm else ""
        out.append(
            f"<tr{cls}><td>{html.escape(r.signal_id)}</td><td>{r.direction}</td><td>{r.layer or ''}</td>"
            f"<td>{r.signal_price:.3f}</td><td>{r.requested:,}</td><td>{html.escape(r.status)}</td>"
            f"<td>{r.app_filled:,}</td><td>{r.broker_filled:,}</td><td>{r.broker_avg:.4f}</td>"
            f"<td>{r.fees:.2f}</td><td>{' '.join(map(str, r.order_ids))}</td><td>{r.slippage_cny:+.2f}</td>"
            f"<td>{r.slippage_bps:+.1f}</td><td>{problems}</td></tr>"
        )
    return "\n".join(out)


def render_html(
    rec: Reconciliation,
    pnl: DayPnl,
    info: dict[str, Any],
    png: bytes,
    lang: str = "zh",
    lots: tuple[LotLine, ...] = (),
) -> str:
    """The self-contained page (the PNG embedded as data)."""
    w = LABELS[lang]
    verdict = w["clean"] if rec.clean else f"{w['alarms']} ({len(rec.alarms)})"
    alarms = "".join(f"<li>{html.escape(describe(a, lang))}</li>" for a in rec.alarms)
    notes = "".join(f"<li>{html.escape(describe(n, lang))}</li>" for n in rec.notes)
    head = (
        f"<tr><th>{w['sig']}</th><th>{w['dir']}</th><th>L</th><th>{w['px']}</th><th>{w['req']}</th>"
        f"<th>{w['status']}</th><th>app</th><th>{w['filled']}</th><th>{w['avg']}</th><th>{w['fees']}</th>"
        f"<th>order</th><th>{w['slip_cny']}</th><th>{w['slip_bps']}</th><th>{w['problems']}</th></tr>"
    )
    lot_rows = "".join(
        f"<tr><td>L{lot.layer}</td><td>{lot.shares:,}</td><td>{lot.buy_price:.3f}</td></tr>" for lot in lots
    )
    t = rec.totals
    picture = base64.b64encode(png).decode("ascii")
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>miniqmt {w["title"]} {rec.day.isoformat()}</title>
<style>body{{font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
margin:16px}} table{{border-collapse:collapse;font-size:13px}}
td,th{{border:1px solid #ccc;padding:3px 6px;text-align:right}}
th{{background:#e9ecef}}tr.alarm td{{background:#fde2e4}}.ok{{color:#1b5e20}}.bad{{color:#c1121f}}
img{{max-width:100%;border:1px solid #ddd}}</style></head><body>
<h1>miniqmt {w["title"]} {rec.day.isoformat()} · {html.escape(str(info["code"]))}</h1>
<h2 class="{"ok" if rec.clean else "bad"}">{verdict}</h2><ul class="bad">{alarms}</ul><ul>{notes}</ul>
<p>{w["export"]}: <b>{html.escape(rec.export_status)}</b> {html.escape(rec.export_reason)}</p>
<h2>{w["pnl"]}</h2><table>
<tr><th>{w["alpha"]}</th><td>{_money(pnl.alpha, lang)}</td></tr>
<tr><th>{w["beta"]}</th><td>{_money(pnl.beta, lang)}</td></tr>
<tr><th>{w["slip"]}</th><td>{-t.slippage_cny:+,.2f} ({t.slippage_bps:+.1f} bps)</td></tr>
<tr><th>{w["fees"]}</th><td>{-t.fees:+,.2f}</td></tr>
<tr><th>{w["close"]} / {w["pre"]}</th><td>{pnl.close:.3f} / {pnl.pre_close:.3f}</td></tr></table>
<p>{html.escape(pnl.why)}</p>
<h2>{w["layers"]}</h2><p>{w["hold"]}: {info.get("hold_layers", "—")} · {w["lots"]}: {pnl.lot_shares_close:,}
· {w["base"]}: {pnl.base_shares if pnl.base_shares is not None else w["unknown"]}</p>
<table>{lot_rows}</table>
<h2>{w["trades"]}</h2><table>{head}{_html_rows(rec.rows, lang)}</table>
<h2>{w["unexplained"]}</h2><table>{head}{_html_rows(rec.unexplained, lang) or ""}</table>
<h2>{w["chart"]}</h2><img alt="report" src="data:image/png;base64,{picture}">
</body></html>"""


def write_report(
    rec: Reconciliation,
    pnl: DayPnl,
    work_dir: Path,
    code: str,
    hold_layers: int | None,
    lang: str = "zh",
    lots: tuple[LotLine, ...] = (),
) -> DailyReport:
    """Write the day's four files (see the module doc) and return where they are."""
    folder = report_folder(work_dir, rec.day)
    folder.mkdir(parents=True, exist_ok=True)
    info = summary(rec, pnl, code, hold_layers)
    write_csv(rec, folder / "reconcile.csv")
    plot_page(rec, pnl, info, folder / "report.png", lang)
    page = render_html(rec, pnl, info, (folder / "report.png").read_bytes(), lang, lots)
    (folder / "report.html").write_text(page, encoding="utf-8")
    (folder / "summary.json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    return DailyReport(rec.day, folder, rec.clean, rec.alarms, info)


def report_history(work_dir: Path) -> list[dict[str, Any]]:
    """Every kept day's summary, newest first (unreadable ones are skipped)."""
    found = []
    for path in sorted((work_dir / REPORTS_DIR).glob("*/summary.json"), reverse=True):
        try:
            found.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return found

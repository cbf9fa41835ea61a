"""``miniqmt gui``: the desktop app (the default command), or a screenshot of it for docs and checks."""

from __future__ import annotations

import argparse
import logging
import time

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``miniqmt gui``."""
    parser.add_argument("--shared-dir", metavar="DIR", help="the shared folder (default: stored setting)")
    parser.add_argument("--work-dir", metavar="DIR",
                        help="the app's work folder (also DASHBOARD_WORK_DIR); settings are then kept there")
    parser.add_argument("--lang", choices=("zh", "en"), help="UI language (default: stored, else zh)")
    parser.add_argument("--tab", choices=("main", "backtest"), help="which tab to show")
    parser.add_argument("--simulate", action=argparse.BooleanOptionalAction, default=None,
                        help="simulate (paper) mode on/off (default: stored, else on)")
    parser.add_argument("--start", action="store_true", help="start the strategy right away")
    parser.add_argument("--rehearsal", action="store_true",
                        help="evaluate outside trading hours too (offline rehearsals with replayed quotes)")
    parser.add_argument("--screenshot", metavar="PNG", help="render the window to PNG and exit")
    parser.add_argument("--after", type=float, default=2.0, metavar="S",
                        help="seconds to run before the screenshot (default 2; on the backtest tab: "
                             "after the sample backtest has finished)")


def run(args: argparse.Namespace) -> int:
    """Open the window; with ``--screenshot`` render it after ``--after`` seconds and exit."""
    started = time.perf_counter()
    import os

    from miniqmt_gui.ui.app import build_window, close_on_signals, create_application, open_settings
    from miniqmt_gui.ui.app_config import load_config
    from miniqmt_gui.ui.screenshot import schedule_screenshot

    work_dir = args.work_dir or os.environ.get("DASHBOARD_WORK_DIR")
    settings = open_settings(work_dir)
    config = load_config(settings, args.shared_dir, work_dir, args.lang)
    if args.simulate is not None:
        config.paper = args.simulate
    if args.rehearsal:
        config.session_only = False
    app = create_application("en" if config.lang == "en" else "zh")
    window = build_window(config, settings)
    if args.tab:
        window.tabs.setCurrentIndex(1 if args.tab == "backtest" else 0)
    window.show()
    app.processEvents()  # paint it now: the engine thread starts after the first frame
    first_show_ms = (time.perf_counter() - started) * 1000
    window.controller.start()
    import gc

    gc.collect()
    gc.freeze()  # start-up objects leave the collector's view: later full collections stay short
    window.live.log.add(window.tr("窗口已显示（%1 ms）").replace("%1", f"{first_show_ms:.0f}"))
    log.info("first window after %.0f ms", first_show_ms)
    if args.screenshot:
        print(f"first window shown {first_show_ms:.0f} ms after start-up of the gui command "
              f"(epoch {time.time():.3f})", flush=True)
    if args.start:
        window.controller.command("start")
    if args.screenshot:
        schedule_screenshot(window, args.screenshot, args.after, backtest=args.tab == "backtest")
    elif config.first_run:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: window.edit_settings(first_run=True))
    wake = close_on_signals(window)
    code = app.exec()
    wake.stop()
    window.shutdown()
    return int(code)

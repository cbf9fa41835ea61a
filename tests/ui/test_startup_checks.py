"""Starting the app: the README's command forms work, and a Linux desktop without Qt's X11 libraries
gets the packages to install instead of Qt's abort."""

from __future__ import annotations

from pathlib import Path

import pytest

from miniqmt_gui.cli import build_parser, gui_default, main
from miniqmt_gui.ui import xcb_check

LDD = """\tlinux-vdso.so.1 (0x00007ffd)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f)
\tlibxcb-icccm.so.4 => not found
\tlibfancy.so.9 => not found
"""


@pytest.mark.parametrize("argv", [["--lang", "en"], ["--lang=en"], ["gui", "--lang", "en"], ["--simulate"]])
def test_documented_forms_open_the_app(argv):
    args = build_parser(gui_default(argv)).parse_args(gui_default(argv))
    assert args.command == "gui"
    assert getattr(args, "lang", None) in ("en", None)


def test_top_level_options_stay_top_level():
    assert gui_default(["--version"]) == ["--version"]
    assert gui_default([]) == ["gui"]
    assert gui_default(["backtest", "--json"]) == ["backtest", "--json"]


def test_missing_xcb_libraries_name_the_packages_per_distribution():
    problem = xcb_check.check_xcb({"DISPLAY": ":0"}, "linux", ldd=lambda path: LDD,
                                  plugin=lambda: Path("/x/libqxcb.so"))
    assert problem is not None
    assert problem.missing == ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libfancy.so.9")
    text = problem.message()
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4" in text
    assert "sudo dnf install xcb-util-cursor xcb-util-wm" in text
    assert "sudo pacman -S xcb-util-cursor xcb-util-wm" in text
    assert "libfancy.so.9" in text and "--headless" in text


def test_no_check_where_qt_does_not_use_xcb():
    never = lambda path: pytest.fail("ldd must not run")  # noqa: E731
    assert xcb_check.check_xcb({"DISPLAY": ":0"}, "darwin", ldd=never) is None
    offscreen = {"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}
    assert xcb_check.check_xcb(offscreen, "linux", ldd=never) is None
    assert xcb_check.check_xcb({"WAYLAND_DISPLAY": "w", "DISPLAY": ":0"}, "linux", ldd=never) is None
    all_there = xcb_check.check_xcb({"DISPLAY": ":0"}, "linux", ldd=lambda p: "", plugin=lambda: Path("/x"))
    assert all_there is None


def test_the_app_command_stops_before_qt_with_the_message(monkeypatch, capsys):
    monkeypatch.setattr(xcb_check, "check_xcb", lambda: xcb_check.XcbProblem(("libxcb-keysyms.so.1",)))
    monkeypatch.setattr("miniqmt_gui.ui.app.run_gui", lambda args: pytest.fail("Qt must not start"))
    assert main(["--lang", "en"]) == 3
    assert "sudo apt install libxcb-keysyms1" in capsys.readouterr().err

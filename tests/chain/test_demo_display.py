"""Without a display the demo runs headless instead of failing to open the app."""

from __future__ import annotations

from miniqmt_gui.commands.demo_cmd import display_available


def test_linux_needs_a_display_or_qt_platform() -> None:
    assert not display_available({}, "linux")
    assert display_available({"DISPLAY": ":0"}, "linux")
    assert display_available({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert display_available({"QT_QPA_PLATFORM": "offscreen"}, "linux")


def test_macos_and_windows_always_have_one() -> None:
    assert display_available({}, "darwin")
    assert display_available({}, "win32")


def test_a_base_install_without_xtquant_gets_one_line_saying_what_to_install(monkeypatch, capsys) -> None:
    import importlib.util

    from miniqmt_gui.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "xtquant" else real(name, *a))
    assert main(["demo", "--headless"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and 'pip install "miniqmt[windows]"' in err

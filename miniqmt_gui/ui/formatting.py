"""Display formatting shared by the live widgets (A-share colours: red up, green down)."""

from __future__ import annotations

import math

UP = "#d62828"
DOWN = "#1b7f4b"
FLAT = "#333333"


def signed_color(value: float) -> str:
    """Red for positive, green for negative, dark grey for zero/NaN."""
    if value != value or value == 0:
        return FLAT
    return UP if value > 0 else DOWN


def price(value: float | None, decimals: int = 3) -> str:
    """A price or "—"."""
    if value is None or value != value or value <= 0:
        return "—"
    return f"{value:.{decimals}f}"


def money(value: float | None, decimals: int = 2) -> str:
    """CNY with thousands separators or "—"."""
    if value is None or value != value:
        return "—"
    return f"{value:,.{decimals}f}"


def shares(value: float | None) -> str:
    """A share count or "—"."""
    if value is None or value != value:
        return "—"
    return f"{int(value):,}"


#: the UI language: Chinese writes 万/亿, English K/M/B (set once by the application)
_LANG = {"lang": "zh"}


def set_language(lang: str) -> None:
    """Choose the number units of :func:`big_number` (``zh`` or ``en``)."""
    _LANG["lang"] = "en" if lang == "en" else "zh"


def big_number(value: float) -> str:
    """Volumes and amounts: 12.3万 / 4.56亿 in Chinese, 123.4K / 45.6M / 1.23B in English."""
    if value != value:
        return "—"
    if _LANG["lang"] == "en":
        for scale, unit in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
            if abs(value) >= scale:
                return f"{value / scale:.2f}{unit}"
        return f"{value:,.0f}"
    if abs(value) >= 1e8:
        return f"{value / 1e8:.2f}亿"
    if abs(value) >= 1e4:
        return f"{value / 1e4:.1f}万"
    return f"{value:,.0f}"


def age(seconds: float) -> str:
    """An age in seconds: "3 s", "2 min", "—"."""
    if seconds != seconds or math.isinf(seconds):
        return "—"
    seconds = max(seconds, 0.0)
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"

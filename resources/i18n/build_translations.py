"""Rebuild the English UI translation: extract strings, fill them from EN below, compile the .qm.

Run from the repository root: ``.venv/bin/python resources/i18n/build_translations.py``.
Chinese is the source language (written in the code with ``self.tr``); English comes from the
table ``miniqmt_en.tsv`` next to this script.
A string missing here stays "unfinished" in the .ts and shows in Chinese, and the script says so.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "miniqmt_en.ts"
QM = TS.with_suffix(".qm")
BIN = Path(sys.executable).parent

TABLE = TS.with_suffix(".tsv")


def english() -> dict[str, str]:
    """The translation table: one ``chinese<TAB>english`` pair per line (leading/trailing spaces kept)."""
    pairs = {}
    for line in TABLE.read_text(encoding="utf-8").split("\n"):
        if line and not line.startswith("#"):
            source, _, target = line.partition("\t")
            # a line break inside a text is written \n in the table
            pairs[source.replace("\\n", "\n")] = target.replace("\\n", "\n")
    return pairs


def extract() -> None:
    """Run lupdate over the UI sources (keeps existing translations)."""
    sources = sorted(str(p) for p in (ROOT / "miniqmt_gui" / "ui").glob("*.py"))
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-source-language", "zh_CN",
                    "-target-language", "en_US", "-no-obsolete", "-ts", str(TS)], check=True)


def fill() -> list[str]:
    """Put the English text of every known source into the .ts; returns the sources left untranslated."""
    tree = ET.parse(TS)
    table = english()
    missing = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            continue
        if source in table:
            translation.text = table[source]
            translation.attrib.pop("type", None)
        else:
            missing.append(source)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    return missing


def main() -> int:
    """Extract, fill, compile; non-zero when strings are missing."""
    extract()
    missing = fill()
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(QM)], check=True)
    for source in missing:
        print(f"untranslated: {source!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())

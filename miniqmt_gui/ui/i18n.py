"""Language of the UI: Chinese is the source language, English comes from a Qt translation file.

Strings are written in Chinese with ``self.tr()``/``QCoreApplication.translate``; for English the
compiled ``resources/i18n/miniqmt_en.qm`` is installed. A missing or unreadable file leaves the UI
in Chinese and returns ``False`` so the caller can log it; the app never fails to start over it.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from miniqmt_gui.ui.resources_path import resource_path

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


def qm_path(lang: Lang) -> str:
    """Path of the compiled translation for ``lang``."""
    return str(resource_path("i18n", f"miniqmt_{lang}.qm"))


def install_qt_translator(app: QCoreApplication, lang: Lang) -> QTranslator | None:
    """Qt's own texts (the Yes/No/Cancel/OK of dialogs, file dialogs, context menus) in ``lang``.

    Qt ships them (``qtbase_zh_CN.qm``); without this a Chinese window shows English buttons.
    """
    installed = app.findChild(QTranslator, f"qt_{lang}")
    if installed is not None:  # one translator per application, however often the app is set up (tests)
        app.installTranslator(installed)
        return installed
    translator = QTranslator(app)
    translator.setObjectName(f"qt_{lang}")
    name = "qtbase_zh_CN" if lang == "zh" else "qtbase_en"
    if not translator.load(name, QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        translator.deleteLater()
        return None
    app.installTranslator(translator)
    return translator


def install_translator(app: QCoreApplication, lang: Lang) -> QTranslator | None:
    """Install the translator for ``lang`` on ``app`` (and Qt's own); ``None`` for Chinese or when the
    file is missing."""
    install_qt_translator(app, lang)
    if lang == "zh":
        return None
    translator = QTranslator(app)
    if not translator.load(qm_path(lang)):
        translator.deleteLater()
        return None
    app.installTranslator(translator)
    return translator


def tr(context: str, text: str) -> str:
    """Translate ``text`` outside a QObject (same catalogue as ``self.tr`` in class ``context``)."""
    return QCoreApplication.translate(context, text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for extraction into ``context`` without translating it now (typed for mypy)."""
    return text

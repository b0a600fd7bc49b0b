"""Window commands' shortcuts win over text boxes: Ctrl+E exports even while the search box has focus.

A text box is offered every key first (a ShortcutOverride event) and takes the ones its platform binds
to editing: under X11's keyboard scheme a QLineEdit takes Ctrl+E (end of line), Ctrl+K, Ctrl+U… so the
window's Ctrl+E never fired while the search box had focus. This filter declines those offers for the
window's own Ctrl shortcuts, except the editing keys a user expects from a text box (copy, paste, undo…).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

# Keys a text box keeps whatever the window binds: taking them from the box would break editing.
EDITING = (QKeySequence.StandardKey.Copy, QKeySequence.StandardKey.Cut, QKeySequence.StandardKey.Paste,
           QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo, QKeySequence.StandardKey.SelectAll)
TEXT_BOXES = (QLineEdit, QAbstractSpinBox, QTextEdit, QPlainTextEdit)


def command_keys(actions: Iterable[QAction]) -> set[QKeySequence]:
    """The actions' shortcuts that use Ctrl or Alt (plain keys like Delete stay with the text box)."""
    keys: set[QKeySequence] = set()
    for action in actions:
        for seq in action.shortcuts():
            combo = seq[0] if seq.count() else None
            if combo is not None and combo.keyboardModifiers() & (Qt.KeyboardModifier.ControlModifier
                                                                | Qt.KeyboardModifier.AltModifier):
                keys.add(seq)
    return keys


def ambiguous(actions: Iterable[QAction]) -> dict[str, list[str]]:
    """Shortcuts bound to more than one action (Qt then fires none of them): shortcut -> action texts."""
    seen: dict[str, list[str]] = {}
    for action in actions:
        for seq in action.shortcuts():
            seen.setdefault(seq.toString(), []).append(action.text())
    return {key: texts for key, texts in seen.items() if len(texts) > 1}


class CommandKeys(QObject):
    """An event filter on text boxes that lets the window's command shortcuts through."""

    def __init__(self, parent: QWidget, actions: Iterable[QAction]) -> None:
        super().__init__(parent)
        self.keys = command_keys(actions)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            pressed = QKeySequence(event.keyCombination())
            if pressed in self.keys and not any(event.matches(k) for k in EDITING):
                event.ignore()  # not taken by the box: the shortcut map now fires the window's action
                return True
        return False

    def watch(self, root: QWidget) -> None:
        """Guard every text box under root (call again for boxes created later)."""
        for cls in TEXT_BOXES:
            for box in root.findChildren(cls):
                box.removeEventFilter(self)  # never twice
                box.installEventFilter(self)

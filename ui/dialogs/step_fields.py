"""The fields one step of the development record needs (from the STEPS catalogue), and the live findings box."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QWidget,
)

from registry.rules.dev_steps import VOTE_KEYS, Step
from registry.rules.development_checks import Finding
from ui.dialogs.form_parts import ChoiceCombo, date_field, hinted_field

ERROR_COLOR, WARNING_COLOR = "#c62828", "#b26a00"


class NamesCompleter(QCompleter):
    """Completes the name being typed after the last 「、」, so that two or three names can be chosen in a row."""

    def __init__(self, names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(QStringListModel(names), parent)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)

    def splitPath(self, path: str) -> list[str]:
        return [path.replace("，", "、").split("、")[-1].strip()]

    def pathFromIndex(self, index: Any) -> str:
        edit = self.widget()
        text = edit.text() if isinstance(edit, QLineEdit) else ""
        head = text.replace("，", "、").rsplit("、", 1)[0] + "、" if "、" in text.replace("，", "、") else ""
        return head + str(index.data())


def shown_value(value: object) -> str:
    """A stored field value as the line shows it: people as 「张三、李四」, 24.0 as 24."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(str(p.get("name") if isinstance(p, Mapping) else p) for p in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class StepFields(QWidget):
    """The date and fields of one step in a form; values() gives them as record_step takes them (votes flat)."""

    changed = Signal()

    def __init__(self, step: Step, *, names: list[str], meetings: list[dict[str, Any]],
                 values: Mapping[str, Any] | None = None, on: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = step
        values = dict(values or {})
        form = self.form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        ends = step.field("end_on") is not None
        self.on, _ = date_field(form, "开始日期" if ends else "日期", on)
        self.on.textChanged.connect(self.changed)
        self.lines: dict[str, QLineEdit] = {}
        self.choices: dict[str, QComboBox] = {}
        self.votes: dict[str, QLineEdit] = {}
        self.meeting: ChoiceCombo | None = None
        for f in step.fields:
            label = f.label + ("" if f.required or f.kind == "votes" else "（可不填）")
            if f.kind == "votes":
                self._votes(form, values.get("votes") or {})
            elif f.key == "meeting_id":
                combo = self.meeting = ChoiceCombo()
                combo.add_choice("（不关联会议记录）", None)
                for m in meetings:
                    combo.add_choice(f"{m['held_on']} {m['organization']} {m.get('topic') or ''}".strip(), m["id"])
                combo.set_value(values.get("meeting_id"), f"会议记录{values.get('meeting_id')}")
                combo.setToolTip("关联已登记的支部党员大会；不填日期时用会议的日期")
                combo.currentIndexChanged.connect(self.changed)
                form.addRow("关联会议", combo)
            elif f.kind == "choice":
                box = QComboBox()
                box.addItems(["", *f.choices])
                box.setCurrentText(shown_value(values.get(f.key)))
                box.currentIndexChanged.connect(self.changed)
                self.choices[f.key] = box
                form.addRow(label, box)
            elif f.kind == "date":
                edit, _ = date_field(form, label, shown_value(values.get(f.key)))
                self.lines[f.key] = edit
            else:
                placeholder = {"persons": "从花名册的正式党员中选择，多人用“、”分开", "person": "从花名册中选择",
                               "int": "整数", "number": "数字"}.get(f.kind, "")
                edit, _ = hinted_field(form, label, shown_value(values.get(f.key)), placeholder)
                if f.kind in ("persons", "person"):
                    edit.setCompleter(NamesCompleter(names, edit))
                self.lines[f.key] = edit
        for edit in self.lines.values():
            edit.textChanged.connect(self.changed)

    def _votes(self, form: QFormLayout, votes: Mapping[str, Any]) -> None:
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (key, label) in enumerate(VOTE_KEYS):
            edit = QLineEdit(shown_value(votes.get(key)))
            edit.setPlaceholderText("人数" if i < 4 else "票数")
            edit.setMaximumWidth(70)
            edit.textChanged.connect(self.changed)
            self.votes[key] = edit
            short = label.replace("人数", "")
            grid.addWidget(QLabel(short), i // 2, (i % 2) * 2)
            grid.addWidget(edit, i // 2, (i % 2) * 2 + 1)
        grid.setColumnStretch(4, 1)
        form.addRow("表决情况", grid)

    def date(self) -> str:
        return self.on.text().strip()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: e.text().strip() for k, e in self.lines.items() if e.text().strip()}
        out.update({k: c.currentText() for k, c in self.choices.items() if c.currentText()})
        out.update({k: e.text().strip() for k, e in self.votes.items() if e.text().strip()})
        if self.meeting is not None and self.meeting.value() is not None:
            out["meeting_id"] = self.meeting.value()
        return out


class FindingsBox(QTextBrowser):
    """The findings under a form, in a room of fixed height: what is typed never moves the fields."""

    LINES = 5

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * self.LINES + 10)
        self.setStyleSheet("QTextBrowser { background: #faf7f5; border: 1px solid #e0c4bd; }")
        self.timer = QTimer(self, singleShot=True, interval=150)  # checked once typing pauses

    def show_findings(self, found: list[Finding], head: str | None = None) -> None:
        parts = [f"<p style='color:{ERROR_COLOR}'>{escape(head)}</p>"] if head else []
        for f in found:
            color, word = (ERROR_COLOR, "错误") if f.level == "error" else (WARNING_COLOR, "提醒")
            parts.append(f"<p style='color:{color}; margin:0'>{word}：{escape(f.message)}"
                         f"<span style='color:#777'>（{escape(f.article)}）</span></p>")
        if not parts:
            parts.append("<p style='color:#2e7d32'>✓ 按已填写的内容，这一步没有发现问题。</p>")
        self.setHtml("".join(parts))

    def show_problem(self, message: str) -> None:
        self.setHtml(f"<p style='color:{ERROR_COLOR}'>{escape(message)}</p>")


def new_findings(found: list[Finding], before: list[Finding], step: str) -> list[Finding]:
    """The findings a live check shows: those on this step, and any the entry would add elsewhere."""
    known = {(f.rule, f.message) for f in before}
    return [f for f in found if f.step == step or (f.rule, f.message) not in known]

"""UI test fixtures: the discard question of editing dialogs answered without a modal box."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ui.dialogs import form_parts


@dataclass
class DiscardQuestion:
    """Stands in for the 放弃修改 box: counts the times it was asked and gives the set answer."""

    asked: int = 0
    answer: bool = True  # True = 放弃修改

    def __call__(self, _parent: object) -> bool:
        self.asked += 1
        return self.answer


@pytest.fixture(autouse=True)
def discard_question(monkeypatch: pytest.MonkeyPatch) -> DiscardQuestion:
    """Without this a changed form closed at teardown would wait on a modal question no one answers."""
    question = DiscardQuestion()
    monkeypatch.setattr(form_parts, "confirm_discard", question)
    return question

"""A volunteer post (name, kind, branch, outlet or area, open/closed), and claiming or releasing one."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from registry.display import cn_date
from registry.errors import UserError
from registry.rules.volunteer_kinds import POST_KINDS
from registry.services.organizations import list_orgs
from registry.services.outlets import list_outlets
from registry.services.volunteer_posts import (
    add_post,
    claim_post,
    edit_post,
    list_posts,
    release_claim,
    require_post,
)
from registry.services.volunteer_queries import candidates
from registry.storage.database import Registry
from ui.dialogs.form_parts import NOT_FORM_DATA, ChoiceCombo, FormDialog, date_field, finish_form


class PostDialog(FormDialog):
    """New (post_id None) or an existing post; a 关闭日期 closes it. Saving unchanged writes nothing."""

    def __init__(self, reg: Registry, post_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.post_id = post_id
        current = next((p for p in list_posts(reg) if p["id"] == post_id), None) if post_id is not None else None
        if post_id is not None and current is None:
            require_post(reg, post_id)  # says it is gone
        c: dict[str, Any] = current or {}
        self.setWindowTitle("编辑志愿服务岗位" if current else "新增志愿服务岗位")
        form = QFormLayout()
        self.name = QLineEdit(c.get("name") or "")
        self.name.setPlaceholderText("如 城南街道平安巡查岗")
        form.addRow("岗位名称", self.name)
        self.kind = QComboBox()
        self.kind.setEditable(True)
        self.kind.addItems(list(POST_KINDS))
        self.kind.setCurrentText(c.get("kind") or POST_KINDS[0])
        form.addRow("岗位类型", self.kind)
        self.org = ChoiceCombo()
        self.org.add_choice("（不指定）", None)
        for org in list_orgs(reg):
            self.org.add_choice("　" * org["depth"] + org["name"], org["name"])
        self.org.set_value(c.get("organization"))
        form.addRow("所属党组织", self.org)
        self.outlet = ChoiceCombo()
        self.outlet.add_choice("（不指定）", None)
        for o in list_outlets(reg):
            self.outlet.add_choice(f"{o['name']}（{o['brand'] or '未注明品牌'}）", (o["name"], o["brand"]))
        self.outlet.set_value((c["outlet"], c["brand"]) if c.get("outlet") else None)
        form.addRow("所在网点", self.outlet)
        self.area = QLineEdit(c.get("area") or "")
        self.area.setPlaceholderText("如 城南街道、江海社区")
        form.addRow("服务区域", self.area)
        self.description = QPlainTextEdit(c.get("description") or "")
        self.description.setFixedHeight(60)
        form.addRow("岗位说明", self.description)
        self.opened_on, _ = date_field(form, "设岗日期", c.get("opened_on") or "")
        self.closed_on, _ = date_field(form, "关闭日期", c.get("closed_on") or "", "不再使用时填写；在岗的认领到这天结束")
        self.error = finish_form(self, form, self.save, (460, 0))
        self.mark_clean()

    def values(self) -> dict[str, Any]:
        outlet = self.outlet.value()
        return {"name": self.name.text(), "kind": self.kind.currentText(), "organization": self.org.value(),
                "outlet": outlet[0] if outlet else None, "brand": outlet[1] if outlet else None,
                "area": self.area.text(), "description": self.description.toPlainText(),
                "opened_on": self.opened_on.text().strip() or None, "closed_on": self.closed_on.text().strip() or None}

    def save(self) -> None:
        try:
            if self.post_id is None:
                self.post_id = add_post(self.reg, **self.values())
            else:
                edit_post(self.reg, self.post_id, **self.values())
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()


class ClaimDialog(FormDialog):
    """Someone claims the post from a day (release: the person's open claim ends on a day)."""

    def __init__(self, reg: Registry, post_id: int, parent: QWidget | None = None, *,
                 release: tuple[int, str] | None = None) -> None:
        super().__init__(parent)
        self.reg, self.post_id, self.release = reg, post_id, release
        post = require_post(reg, post_id)
        self.setWindowTitle("结束认领岗位" if release else "认领志愿服务岗位")
        form = QFormLayout()
        form.addRow("岗位", QLabel(f"{post['name']}（{post['kind']}）"))
        if release:
            form.addRow("认领人", QLabel(release[1]))
            self.day, _ = date_field(form, "结束日期", date.today().isoformat())
        else:
            self.search = QLineEdit()
            self.search.setPlaceholderText("按姓名、拼音或身份证号查找")
            self.search.setProperty(NOT_FORM_DATA, True)
            self.search.textChanged.connect(self._fill)
            form.addRow("查找人员", self.search)
            self.people = QListWidget()
            self.people.setFixedHeight(150)  # a growing list would move the fields below as hints appear
            form.addRow("认领人", self.people)
            self.day, _ = date_field(form, "认领日期", date.today().isoformat())
            self.until, _ = date_field(form, "结束日期", "", "补记已结束的认领时填写")
            if post["closed_on"]:
                note = QLabel(f"该岗位已于{cn_date(post['closed_on'])}关闭，只能补记关闭前已结束的认领。")
                note.setWordWrap(True)
                form.addRow(note)
            self._fill()
        self.error = finish_form(self, form, self.save, (440, 0))
        self.mark_clean()

    def _fill(self) -> None:
        self.people.clear()
        for c in candidates(self.reg, search=self.search.text(), limit=300):
            item = QListWidgetItem(f"{c.name}（{c.category}，{c.outlet or '未注明网点'}）")
            item.setData(Qt.ItemDataRole.UserRole, c.person_id)
            self.people.addItem(item)

    def save(self) -> None:
        try:
            if self.release:
                release_claim(self.reg, self.post_id, self.release[0], self.day.text().strip())
            else:
                item = self.people.currentItem()
                if item is None:
                    raise UserError("请在列表中选择认领人。")
                claim_post(self.reg, self.post_id, int(item.data(Qt.ItemDataRole.UserRole)), self.day.text().strip(),
                           self.until.text().strip() or None)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()

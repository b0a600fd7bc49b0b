"""Volunteer posts (志愿服务岗位) and who claimed which post since when: add, edit, close, delete, claim, release."""

from __future__ import annotations

from datetime import date
from typing import Any

from registry.display import cn_date
from registry.errors import UserError
from registry.names import norm_name
from registry.rules.text import clean_text
from registry.rules.volunteer_kinds import overlaps
from registry.services.organizations import require_org
from registry.services.outlets import require_outlet
from registry.services.people import require_person
from registry.storage.database import Registry, Tx
from registry.validation import user_date

POST_FIELDS = ("name", "kind", "organization", "outlet", "brand", "area", "description", "opened_on", "closed_on")
POSTS_SELECT = """
SELECT t.*, g.name AS organization, o.name AS outlet, b.name AS brand,
       (SELECT count(*) FROM volunteer_claims c WHERE c.post_id = t.id AND c.until IS NULL) AS holders
FROM volunteer_posts t LEFT JOIN organizations g ON g.id = t.organization_id
LEFT JOIN outlets o ON o.id = t.outlet_id LEFT JOIN brands b ON b.id = o.brand_id"""


def find_post(reg: Registry | Tx, key: str | int) -> dict[str, Any] | None:
    """A post by its number (编号) or its name."""
    text = str(key).strip()
    sql = "SELECT * FROM volunteer_posts WHERE " + ("id = ?" if text.isdigit() else "norm_name = ?")
    cur = reg.conn.execute(sql, (int(text) if text.isdigit() else norm_name(text),))
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None


def require_post(reg: Registry | Tx, key: str | int) -> dict[str, Any]:
    post = find_post(reg, key)
    if post is None:
        raise UserError(f"找不到志愿服务岗位“{key}”，请用“post list”查看已有岗位的编号和名称。")
    return post


def _values(tx: Tx, fields: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
    unknown = set(fields) - set(POST_FIELDS)
    if unknown:
        raise ValueError(f"unknown post fields: {sorted(unknown)}")
    values: dict[str, Any] = {}
    if "name" in fields or current is None:
        name = clean_text(fields.get("name"))
        if not name:
            raise UserError("请填写岗位名称，如“城南街道平安巡查岗”。")
        other = find_post(tx, name)
        if other is not None and (current is None or other["id"] != current["id"]):
            raise UserError(f"已有名为“{name}”的岗位（编号{other['id']}），请换一个名称。")
        values["name"], values["norm_name"] = name, norm_name(name)
    if "kind" in fields or current is None:
        kind = clean_text(fields.get("kind"))
        if not kind:
            raise UserError("请填写岗位类型，如流动网格员、平安巡查员、党员示范岗。")
        values["kind"] = kind
    if "organization" in fields:
        org = clean_text(fields["organization"])
        values["organization_id"] = require_org(tx, org)["id"] if org else None
    if "outlet" in fields:
        outlet = clean_text(fields["outlet"])
        values["outlet_id"] = require_outlet(tx, outlet, clean_text(fields.get("brand")))["id"] if outlet else None
    for key in ("area", "description"):
        if key in fields:
            values[key] = clean_text(fields[key])
    for key, label in (("opened_on", "设岗日期"), ("closed_on", "关闭日期")):
        if key in fields:
            values[key] = user_date(label, fields[key], day=True)
    opened = values.get("opened_on", current and current.get("opened_on"))
    closed = values.get("closed_on", current and current.get("closed_on"))
    if opened and closed and closed < opened:
        raise UserError("岗位的关闭日期早于设岗日期，请核对。")
    return values


def add_post(reg: Registry, **fields: Any) -> int:
    """A new post of a kind, possibly for one branch, outlet or area."""
    with reg.transaction("volunteer.post.add") as tx:
        values = _values(tx, fields, None)
        tx.summary(f"新增志愿服务岗位 {values['name']}")
        return tx.insert("volunteer_posts", values, label=values["name"])


def edit_post(reg: Registry, key: str | int, **fields: Any) -> dict[str, tuple[Any, Any]]:
    """Change a post; closing it (closed_on) ends the claims still open on that day. Unchanged: nothing written."""
    with reg.transaction("volunteer.post.edit") as tx:
        post = require_post(tx, key)
        values = _values(tx, fields, post)
        diff = tx.update("volunteer_posts", post["id"], values, label=post["name"], old=post)
        closed = diff.get("closed_on", (None, None))[1]
        if closed:
            open_claims = tx.conn.execute("SELECT id, since FROM volunteer_claims WHERE post_id = ? AND"
                                          " (until IS NULL OR until > ?)", (post["id"], closed)).fetchall()
            for claim_id, since in open_claims:
                if since > closed:
                    raise UserError(f"有人自{cn_date(since)}起认领该岗位，晚于关闭日期{cn_date(closed)}，请先核对这条认领记录。")
                tx.update("volunteer_claims", claim_id, {"until": closed}, label=post["name"])
        tx.summary(f"修改志愿服务岗位 {post['name']}")
        return diff


def delete_post(reg: Registry, key: str | int) -> None:
    """Only a post nobody claimed and no activity names: one with a history is closed instead."""
    with reg.transaction("volunteer.post.delete") as tx:
        post = require_post(tx, key)
        claims = tx.conn.execute("SELECT count(*) FROM volunteer_claims WHERE post_id = ?", (post["id"],)).fetchone()[0]
        used = tx.conn.execute("SELECT count(*) FROM volunteer_activities WHERE post_id = ?",
                               (post["id"],)).fetchone()[0]
        if claims or used:
            raise UserError(f"岗位“{post['name']}”已有{claims}条认领记录、{used}次活动，不能删除；"
                            "不再使用时请填写关闭日期把它关闭。")
        tx.summary(f"删除志愿服务岗位 {post['name']}")
        tx.delete("volunteer_posts", post["id"], label=post["name"])


def list_posts(reg: Registry, include_closed: bool = True) -> list[dict[str, Any]]:
    """Every post with its place and how many hold it now, open posts first."""
    where = "" if include_closed else " WHERE t.closed_on IS NULL"
    return reg.query(f"{POSTS_SELECT}{where} ORDER BY t.closed_on IS NOT NULL, t.kind, t.name")


def claim_post(reg: Registry, post_key: str | int, person_key: str | int, since: object,
               until: object = None, notes: str | None = None) -> int:
    """Someone claims a post from `since` (until: already ended). A 群众 may claim one; a closed post may not be."""
    start = user_date("认领日期", since, required=True, day=True)
    end = user_date("结束日期", until, day=True)
    assert start is not None
    if start > date.today().isoformat():
        raise UserError("认领日期不能晚于今天，请核对。")
    if end and end < start:
        raise UserError("结束日期早于认领日期，请核对。")
    with reg.transaction("volunteer.post.claim") as tx:
        post = require_post(tx, post_key)
        person = require_person(tx, person_key)
        closed = post["closed_on"]
        if closed and (end is None or end > closed or start >= closed):  # only a past claim ended by the closing
            raise UserError(f"岗位“{post['name']}”已于{cn_date(post['closed_on'])}关闭，不能再认领；请选择其他岗位。")
        if post["opened_on"] and start < post["opened_on"]:
            raise UserError(f"岗位“{post['name']}”自{cn_date(post['opened_on'])}起设立，认领日期不能早于这一天。")
        if person["left_on"] and person["left_on"] <= start:
            raise UserError(f"{person['name']}已于{cn_date(person['left_on'])}离开，不能再认领岗位。")
        for since_, until_ in tx.conn.execute("SELECT since, until FROM volunteer_claims WHERE post_id = ? AND"
                                              " person_id = ?", (post["id"], person["id"])):
            if overlaps(start, end, since_, until_):
                raise UserError(f"{person['name']}自{cn_date(since_)}起已认领岗位“{post['name']}”，不必重复认领。")
        tx.summary(f"{person['name']} 认领志愿服务岗位 {post['name']}")
        return tx.insert("volunteer_claims", {"post_id": post["id"], "person_id": person["id"], "since": start,
                                              "until": end, "notes": clean_text(notes)}, label=person["name"])


def release_claim(reg: Registry, post_key: str | int, person_key: str | int, until: object) -> None:
    """The person's open claim of the post ends on `until`."""
    end = user_date("结束日期", until, required=True, day=True)
    with reg.transaction("volunteer.post.release") as tx:
        post = require_post(tx, post_key)
        person = require_person(tx, person_key)
        row = tx.conn.execute("SELECT id, since FROM volunteer_claims WHERE post_id = ? AND person_id = ? AND"
                              " until IS NULL", (post["id"], person["id"])).fetchone()
        if row is None:
            raise UserError(f"{person['name']}目前没有认领岗位“{post['name']}”，无需结束。")
        if end is None or end < row[1]:
            raise UserError(f"结束日期早于认领日期{cn_date(row[1])}，请核对。")
        tx.summary(f"{person['name']} 结束认领志愿服务岗位 {post['name']}")
        tx.update("volunteer_claims", row[0], {"until": end}, label=person["name"])


def delete_claim(reg: Registry, claim_id: int) -> None:
    """A claim entered by mistake (not one that ended: that one is released)."""
    with reg.transaction("volunteer.claim.delete") as tx:
        row = tx.get("volunteer_claims", claim_id)
        if row is None:
            raise UserError("要删除的认领记录已不存在，请刷新后重试。")
        name = tx.conn.execute("SELECT name FROM people WHERE id = ?", (row["person_id"],)).fetchone()[0]
        tx.summary(f"删除 {name} 的岗位认领记录")
        tx.delete("volunteer_claims", claim_id, label=name)


def list_claims(reg: Registry, post_key: str | int | None = None, person_id: int | None = None,
                current_only: bool = False) -> list[dict[str, Any]]:
    """Claims with the post and the person (name, category; no ID number), newest first."""
    clauses, params = ["1"], []
    if post_key is not None:
        clauses.append("c.post_id = ?")
        params.append(require_post(reg, post_key)["id"])
    if person_id is not None:
        clauses.append("c.person_id = ?")
        params.append(person_id)
    if current_only:
        clauses.append("c.until IS NULL")
    return reg.query(
        "SELECT c.*, t.name AS post, t.kind, p.name, p.category FROM volunteer_claims c"
        " JOIN volunteer_posts t ON t.id = c.post_id JOIN people p ON p.id = c.person_id"
        f" WHERE {' AND '.join(clauses)} ORDER BY c.until IS NOT NULL, c.since DESC, c.id DESC", params)

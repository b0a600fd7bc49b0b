"""How a recorded step of the development record reads on paper: dates, people, votes and their outcome."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from registry.display import cn_date
from registry.rules.dev_steps import BY_KEY, Step

LEVELS = {"error": "错误", "warning": "提醒"}


def names(persons: object) -> str:
    """「张三、李四」 from the stored people of a step (dicts with a name) or plain text."""
    if isinstance(persons, list | tuple):
        return "、".join(str(p.get("name") if isinstance(p, Mapping) else p) for p in persons if p)
    return str(persons or "")


def _whole(value: object) -> int | None:
    try:
        number = float(str(value))
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def vote_counts(votes: Mapping[str, Any] | None) -> dict[str, int | None]:
    keys = ("expected", "present", "voting_expected", "voting_present", "yes", "no", "abstain")
    return {k: _whole((votes or {}).get(k)) for k in keys}


def vote_outcome(votes: Mapping[str, Any] | None) -> tuple[bool | None, str]:
    """Whether the vote carried by the thresholds of 细则第二十条 (quorum) and 第二十一条 (votes), and the sentence saying so.

    实到有表决权的党员须超过应到有表决权人数的半数，赞成票须超过应到有表决权人数的半数.
    """
    v = vote_counts(votes)
    expected, present, yes = v["voting_expected"], v["voting_present"], v["yes"]
    if expected is None or present is None or yes is None:
        return None, "表决情况未登记完整，无法判断是否通过。"
    quorum = present * 2 > expected
    carried = yes * 2 > expected
    parts = [f"实到有表决权{present}人，{'超过' if quorum else '未超过'}应到有表决权{expected}人的半数",
             f"赞成{yes}票，{'超过' if carried else '未超过'}应到有表决权人数的半数"]
    ok = quorum and carried
    return ok, "；".join(parts) + ("，表决通过。" if ok else "，表决不能通过。")


def vote_text(votes: Mapping[str, Any] | None) -> str:
    """应到12人，实到11人；应到有表决权10人，实到有表决权9人；赞成9票，反对0票，弃权0票 — what was recorded."""
    v = vote_counts(votes)
    groups = ((("expected", "应到", "人"), ("present", "实到", "人")),
              (("voting_expected", "应到有表决权", "人"), ("voting_present", "实到有表决权", "人")),
              (("yes", "赞成", "票"), ("no", "反对", "票"), ("abstain", "弃权", "票")))
    return "；".join(text for group in groups
                    if (text := "，".join(f"{name}{v[k]}{unit}" for k, name, unit in group if v[k] is not None)))


def entry_date(entry: Mapping[str, Any]) -> str:
    """The entry's day, or its span (公示, 培训) as 「2024年7月8日至2024年7月12日」."""
    start = cn_date(entry.get("on"))
    end = (entry.get("fields") or {}).get("end_on")
    return f"{start}至\n{cn_date(end)}" if start and end else start


def entry_details(step: Step, entry: Mapping[str, Any], *, short: bool = True) -> str:
    """What a recorded step says besides its date: people, numbers, conclusions, the vote and its outcome
    (short: 通过 / 未通过; else the sentence with the thresholds)."""
    fields = entry.get("fields") or {}
    parts: list[str] = []
    for f in step.fields:
        v = fields.get(f.key)
        if f.kind == "votes":
            if v:
                ok, outcome = vote_outcome(v)
                verdict = ("通过" if ok else "未通过" if ok is False else "表决情况不完整") if short else outcome
                parts.append(f"表决：{vote_text(v)}；{verdict}")
            elif entry.get("recorded"):
                parts.append("表决情况：未登记")
            continue
        if v in (None, "", []) or f.key in ("meeting_id", "end_on"):
            continue
        if f.kind == "persons":
            parts.append(f"{f.label}：{names(v)}")
        elif f.key == "months":
            parts.append(f"{f.label}：{v}个月")
        elif f.kind == "number":
            parts.append(f"{f.label}：{float(v):g}")
        else:
            parts.append(f"{f.label}：{v}")
    if step.key == "extension" and not parts and fields.get("months"):
        parts.append(f"延长{fields['months']}个月")
    if entry.get("override_reason"):
        parts.append(f"记录的原因：{entry['override_reason']}")
    return "；".join(parts)


def step_label(key: str | None) -> str:
    return BY_KEY[key].label if key in BY_KEY else ""

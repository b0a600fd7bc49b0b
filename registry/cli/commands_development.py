"""Commands of the development record: person rules, stage record / cancel / steps, and the step-field flags."""

from __future__ import annotations

import argparse
from typing import Any

from registry.cli.commands_core import open_registry, parse_day
from registry.cli.output import print_json, print_table
from registry.display import cn_date
from registry.rules.dev_steps import STEPS, VOTE_KEYS
from registry.services import development_steps

# Every field any step carries, as one flag each (named after the field), plus the vote and the meeting.
_FIELD_FLAGS: dict[str, str] = {}
for _step in STEPS:
    for _f in _step.fields:
        if _f.kind != "votes":
            _FIELD_FLAGS.setdefault(_f.key, _f.label)
_FIELD_FLAGS.update({k: label for k, label in VOTE_KEYS})
# Keys several steps share get a label that covers them all.
_FIELD_FLAGS.update({"persons": "培养联系人或入党介绍人（姓名或身份证号，用顿号分隔）", "talker": "谈话人（姓名或身份证号）",
                     "conclusion": "考察意见或政审结论", "reason": "取消预备党员资格的原因"})
LEVELS = {"error": "错误", "warning": "提醒"}


def add_step_flags(p: argparse.ArgumentParser) -> None:
    """The step-field flags (--talker, --method, --persons, --end-on, --hours, --number, --voting-expected …)."""
    for key, label in _FIELD_FLAGS.items():
        flags = [f"--{key.replace('_', '-')}"] + ([f"--{key}"] if "_" in key else [])
        p.add_argument(*flags, dest=f"step_{key}", default=None, metavar=label.split("（")[0], help=label)
    p.add_argument("--override-reason", "--override_reason", dest="override_reason", default=None, metavar="原因",
                   help="未按规定完成某些步骤仍继续（或转正时间不是预备期满之日）的原因，记入纪实")


def step_fields(args: argparse.Namespace) -> dict[str, Any]:
    """The step fields given on the command line."""
    return {key: value for key in _FIELD_FLAGS if (value := getattr(args, f"step_{key}", None)) is not None}


def _print_findings(rows: list[dict[str, Any]]) -> None:
    if not rows:
        print("未发现问题。")
        return
    print_table([(LEVELS[r["level"]], r["message"], r["article"]) for r in rows], ["级别", "内容", "依据"])


def cmd_person_rules(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        rows = [f.as_dict() for f in development_steps.findings(reg, args.key, parse_day(args.date))]
    if args.json:
        print_json([{k: r[k] for k in ("rule", "level", "message", "article")} for r in rows])
    else:
        _print_findings(rows)
    return 0


def cmd_stage_record(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        result = development_steps.record_step(reg, args.key, args.step, args.date,
                                               override_reason=args.override_reason, **step_fields(args))
    print("已登记。")
    _print_findings(result["findings"])
    return 0


def cmd_stage_cancel(args: argparse.Namespace) -> int:
    fields = step_fields(args)
    reason = str(fields.pop("reason", None) or "")
    with open_registry(args) as reg:
        development_steps.cancel_probation(reg, args.key, args.date, reason=reason, **fields)
    print(f"已取消预备党员资格：自{args.date}起为群众，此前仍按预备党员统计。")
    return 0


def cmd_stage_steps(args: argparse.Namespace) -> int:
    if not args.key:
        catalogue = [{"step": s.key, "label": s.label, "stage": s.stage, "mandatory": s.mandatory,
                      "fields": [f.key for f in s.fields], "article": s.article} for s in STEPS]
        if args.json:
            print_json(catalogue)
        else:
            print_table([(s.stage, s.key, s.label, "是" if s.mandatory else "否", s.article) for s in STEPS],
                        ["阶段", "步骤", "名称", "必经", "依据"])
        return 0
    with open_registry(args) as reg:
        person = development_steps.require_person(reg, args.key)
        rows = development_steps.step_rows(reg, person["id"])
    if args.json:
        print_json(rows)
        return 0
    labels = {s.key: s.label for s in STEPS}
    print_table([(r["id"], cn_date(r["on_date"]), labels.get(r["step"], r["step"]),
                  "；".join(f"{k}：{v}" for k, v in r["fields"].items()), r["override_reason"] or "")
                 for r in rows], ["编号", "日期", "步骤", "内容", "原因"])
    return 0


def register_person(person: argparse._SubParsersAction) -> None:
    p = person.add_parser("rules", help="发展党员规则检查：列出一个人的全部问题和提醒")
    p.add_argument("key", metavar="ID", help="身份证号")
    p.add_argument("--date", help="按哪一天检查（默认今天）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_person_rules)


def register_stage(stage: argparse._SubParsersAction) -> None:
    p = stage.add_parser("record", help="登记发展党员的一个步骤（不改变人员类别）")
    p.add_argument("key", metavar="ID")
    p.add_argument("--step", required=True, help="步骤（名称或编号，见 stage steps）")
    p.add_argument("--date", help="步骤日期（链接支部党员大会时默认会议日期）")
    add_step_flags(p)
    p.set_defaults(handler=cmd_stage_record)
    p = stage.add_parser("cancel", help="取消预备党员资格（此前仍按预备党员统计）")
    p.add_argument("key", metavar="ID")
    p.add_argument("--date", required=True, help="支部大会决定取消的日期")
    add_step_flags(p)
    p.set_defaults(handler=cmd_stage_cancel)
    p = stage.add_parser("steps", help="发展党员的全部步骤，或一个人已登记的步骤")
    p.add_argument("key", metavar="ID", nargs="?")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_stage_steps)

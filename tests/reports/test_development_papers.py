"""The papers of the development record, printed from the recorded steps: 纪实, 考察登记表, 公示, 政审, 表决记录."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from registry.errors import UserError
from registry.reports.dev_text import vote_outcome
from registry.reports.development_papers import PAPERS, build_paper, write_paper
from registry.reports.development_record import conclusion
from registry.reports.paper import Paper
from registry.services.development import advance_stage
from registry.services.development_steps import findings, record_outline
from registry.services.people import add_person
from registry.storage.database import Registry
from tests.reports.conftest import FULL_ID, assert_paged_and_embedded, needs_poppler, pdf_text
from tests.reports.dev_records import (
    CANDIDATE,
    complete_record,
    entered,
    flawed_record,
    make_id,
    member_since_2010,
    members,
)

ON = date(2026, 11, 24)


def words(paper: Paper) -> str:
    """Every text of a paper (titles, lines, cells), joined: what the PDF and the workbook both print."""
    parts = []
    for b in paper.blocks:
        parts += [b.text, b.right, *(c.text for row in b.rows for c in row)]
    return "\n".join(parts)


def states(paper: Paper) -> dict[str, str]:
    """完成情况 of each step row of the 纪实, by the step's label."""
    return {row[1].text.removesuffix("（非必经）"): row[5].text for b in paper.blocks for row in b.rows
            if len(row) == 6 and row[0].text.isdigit()}


def flat(path: Path) -> str:
    return "".join(pdf_text(path, layout=False)).replace("\n", "")


@pytest.fixture
def complete(branch: Registry) -> Registry:
    complete_record(branch)
    return branch


@pytest.fixture
def flawed(branch: Registry) -> Registry:
    flawed_record(branch)
    return branch


# --- the 纪实 -----------------------------------------------------------------------------------------------


def test_a_complete_correct_record_shows_every_step_done_and_no_problem(complete: Registry) -> None:
    assert [f for f in findings(complete, CANDIDATE, ON) if f.level == "error"] == []
    paper, _ = build_paper(complete, CANDIDATE, "record", on=ON)
    text = words(paper)
    outline = record_outline(complete, CANDIDATE, ON)
    for step in outline["steps"]:
        assert step["label"] in text
        assert step["state"] in ("已完成", "") or not step["mandatory"], step
    for expected in ("经核查，各步骤齐全", "未发现问题", "谈话人：张三", "推荐方式：党员推荐", "培养联系人：张三、李四",
                     "入党介绍人：王五、赵六", "政审结论：政治历史清白", "学时：24", "结业证书编号：城南党校〔2023〕017号",
                     "2023年7月17日至\n2023年7月21日", "志愿书编号：0012345", "赞成9票，反对0票，弃权0票；通过",
                     "2年2个月（自2024年9月1日转为正式党员起算", "《细则》第二十条、第二十一条"):
        assert expected in text, expected
    assert set(states(paper).values()) == {"已完成", "—"}  # 延长预备期, 取消预备党员资格: not applicable


def test_a_flawed_record_lists_every_missing_and_late_step_and_every_error(flawed: Registry) -> None:
    paper, _ = build_paper(flawed, CANDIDATE, "record", on=ON)
    text = words(paper)
    found = findings(flawed, CANDIDATE, ON)
    errors = [f for f in found if f.level == "error"]
    assert {f.rule for f in errors} == {"publicity_short", "vote_not_passed", "approval_late"}
    for f in found:  # every finding, with its article
        assert f.message in text, f.message
        assert f.article.replace("《中国共产党发展党员工作细则》", "《细则》").replace("《中国共产党章程》", "《党章》") in text
    assert "talk_late" in {f.rule for f in found}  # the late talk is listed too
    summary, missing, _ = conclusion(record_outline(flawed, CANDIDATE, ON))
    assert missing == ["政治审查"] and "缺少步骤1个（政治审查）" in summary and f"错误{len(errors)}项" in summary
    assert "未发现问题" not in text
    assert states(paper)["政治审查"].startswith("缺少\n（已记录原因）") and "记录的原因：政审函调材料尚未寄回" in text  # the override, printed
    assert "表决：应到12人，实到11人；应到有表决权10人，实到有表决权9人；赞成5票，反对4票，弃权0票；未通过" in text


def test_a_missing_step_without_a_reason_never_concludes_no_problem(branch: Registry) -> None:
    members(branch)
    number = make_id("19950101", "013")
    add_person(branch, name="孙七", id_number=number, category="发展对象", applied_on="2024-02-01",
               target_on="2026-02-01", introducers="王五、赵六", managed_from="2024-01-01")
    entered(branch, number, "2024-01-01")
    outline = record_outline(branch, number, ON)
    summary, missing, _ = conclusion(outline)
    assert "党组织派人谈话" in missing and "支委会研究确定为入党积极分子" in missing
    text = words(build_paper(branch, number, "record", on=ON)[0])
    assert "未发现问题" not in text and summary in text
    assert all(label in summary for label in missing)


def test_a_member_admitted_before_the_registry_reads_historical_not_pending(branch: Registry) -> None:
    number = member_since_2010(branch)
    paper, _ = build_paper(branch, number, "record", on=ON)
    text = words(paper)
    rows = states(paper)
    assert rows["递交入党申请书"] == "未录入\n（历史档案）" and rows["支部大会讨论转正"] == "未录入\n（历史档案）"
    assert rows["转为正式党员（转正时间）"] == "已完成" and rows["支部大会讨论接收为预备党员"] == "已完成"
    assert "待进行" not in rows.values() and "未发现问题" not in text
    assert "未录入（历史档案）" in conclusion(record_outline(branch, number, ON))[0]
    assert "16年4个月" in text  # 党龄 from 2010-07-01 to 2026-11-24


@needs_poppler
@pytest.mark.parametrize("which", ["complete", "flawed", "historical"])
def test_the_record_pdf_embeds_its_font_and_masks_the_id(branch: Registry, tmp_path: Path, which: str) -> None:
    number = {"complete": complete_record, "flawed": flawed_record, "historical": member_since_2010}[which](branch)
    out = tmp_path / "纪实.pdf"
    result = write_paper(branch, number, "record", out, on=ON)
    pages = assert_paged_and_embedded(out)
    assert 1 <= len(pages) == result["pages"] <= 3 and not FULL_ID.search("".join(pages))
    text = flat(out)
    assert "发展党员工作全程纪实表" in text and "二、检查结论" in text and "（单位盖章）" in text
    assert ("未发现问题" in text) == (which == "complete")


# --- the other papers ---------------------------------------------------------------------------------------


@needs_poppler
@pytest.mark.parametrize("kind", [k for k in PAPERS if k != "record"])
@pytest.mark.parametrize("which", ["complete", "flawed"])
def test_every_paper_prints_as_pdf_and_workbook(branch: Registry, tmp_path: Path, kind: str, which: str) -> None:
    number = (complete_record if which == "complete" else flawed_record)(branch)
    pdf, xlsx = tmp_path / f"{kind}.pdf", tmp_path / f"{kind}.xlsx"
    result = write_paper(branch, number, kind, pdf, on=ON)
    assert result["pages"] == len(assert_paged_and_embedded(pdf)) == 1
    assert bool(result["errors"]) == (which == "flawed")
    assert "陈晓红" in flat(pdf)
    write_paper(branch, number, kind, xlsx, on=ON)
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v]
    paper, _ = build_paper(branch, number, kind, on=ON)
    title = next(b.text for b in paper.blocks if b.kind == "title")
    assert cells[0] == title and title in flat(pdf)
    assert sheet.page_setup.orientation == "portrait" and sheet.merged_cells.ranges
    assert set(cells) <= {line for b in paper.blocks for line in (b.text, b.right, "　　" + b.text,
                                                                    *(c.text for r in b.rows for c in r))} | {
        c for c in cells if c.startswith(("填报人", "填报日期"))}


def test_the_notices_use_the_official_wording_and_the_recorded_dates(complete: Registry) -> None:
    target = words(build_paper(complete, CANDIDATE, "target-notice", on=ON)[0])
    for expected in ("关于拟将陈晓红同志列为发展对象的公示", "经党支部研究，拟将陈晓红同志列为发展对象，现予公示。",
                     "2022年3月1日递交入党申请书，2022年6月1日被确定为入党积极分子，培养联系人为张三、李四。",
                     "公示时间：2023年7月17日至2023年7月21日（5个工作日）。", "联系电话", "中共城南快递联合党支部"):
        assert expected in target, expected
    full = words(build_paper(complete, CANDIDATE, "full-notice", on=ON)[0])
    for expected in ("拟将陈晓红同志转为中共正式党员，现予公示。", "2023年9月1日经支部党员大会讨论接收为中共预备党员",
                     "至2024年9月1日预备期满", "公示时间：2024年8月12日至2024年8月16日（5个工作日）。"):
        assert expected in full, expected


def test_a_short_publicity_shows_its_days_and_the_writer_reports_the_errors(flawed: Registry, tmp_path: Path) -> None:
    text = words(build_paper(flawed, CANDIDATE, "target-notice", on=ON)[0])
    assert "公示时间：2024年7月8日至2024年7月10日（3个工作日）。" in text
    result = write_paper(flawed, CANDIDATE, "target-notice", tmp_path / "公示.pdf", on=ON)
    assert any("只有3个工作日" in e for e in result["errors"])
    # Not yet at 转正: the 转正 notice leaves the dates to be filled by hand.
    assert "公示时间：＿＿＿＿年＿＿月＿＿日至＿＿＿＿年＿＿月＿＿日（不少于5个工作日）。" in words(
        build_paper(flawed, CANDIDATE, "full-notice", on=ON)[0])


def test_a_notice_is_refused_before_the_person_reaches_it(branch: Registry, tmp_path: Path) -> None:
    number = make_id("19960101", "017")
    add_person(branch, name="周八", id_number=number, category="入党申请人", applied_on="2026-01-05")
    with pytest.raises(UserError, match="尚未确定为入党积极分子"):
        write_paper(branch, number, "target-notice", tmp_path / "公示.pdf")
    with pytest.raises(UserError, match="还没有入党时间"):
        write_paper(branch, number, "full-notice", tmp_path / "公示.pdf")
    with pytest.raises(UserError, match="只能保存为.pdf或.xlsx"):
        write_paper(branch, number, "review", tmp_path / "表.docx")
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("test.db")] == []


def test_the_vote_record_says_whether_each_vote_carried(complete: Registry) -> None:
    good = words(build_paper(complete, CANDIDATE, "vote", on=ON)[0])
    assert "讨论接收陈晓红同志为中共预备党员" in good and "讨论陈晓红同志预备党员转为正式党员" in good
    assert good.count("通过。实到有表决权9人，超过应到有表决权10人的半数") == 2 and "城南网点会议室" in good
    # the quorum is 细则第二十条, the votes needed 第二十一条: the note cites both
    assert "依据：《中国共产党发展党员工作细则》第二十条、第二十一条：有表决权的到会人数" in good


def test_the_vote_record_of_a_vote_below_the_threshold(flawed: Registry) -> None:
    paper, _ = build_paper(flawed, CANDIDATE, "vote", on=ON)
    text = words(paper)
    assert "未通过。" in text and "赞成5票，未超过应到有表决权人数的半数，表决不能通过。" in text
    cells = [[c.text for c in row] for b in paper.blocks for row in b.rows]
    assert ["12", "11", "10", "9", "5", "4", "0"] in cells
    assert any(row[:4] == ["实到有表决权\n是否过半", "是", "赞成票是否超过应到\n有表决权人数半数", "否"] for row in cells)
    assert "台账核查提醒" in text


def test_the_political_review_and_the_review_form(complete: Registry) -> None:
    assert "政治历史清白，现实表现好，政审合格" in words(build_paper(complete, CANDIDATE, "political-review", on=ON)[0])
    review = words(build_paper(complete, CANDIDATE, "review", on=ON)[0])
    for expected in ("工作积极，主动参加支部活动", "2022年12月1日", "共4次：2022年9月1日", "党员推荐", "王五、赵六"):
        assert expected in review, expected


def test_the_flawed_papers_name_what_is_missing(flawed: Registry) -> None:
    assert "台账中尚未登记政审结论" in words(build_paper(flawed, CANDIDATE, "political-review", on=ON)[0])
    review = words(build_paper(flawed, CANDIDATE, "review", on=ON)[0])
    assert "台账中没有思想汇报的记录" in review and "超过1个月" in review  # the late talk, as a reminder


@pytest.mark.parametrize(("votes", "carried"), [
    ({"voting_expected": 10, "voting_present": 6, "yes": 6}, True),
    ({"voting_expected": 10, "voting_present": 5, "yes": 5}, False),  # exactly half is not more than half
    ({"voting_expected": 10, "voting_present": 9, "yes": 5}, False),
    ({"voting_expected": 10, "voting_present": 5, "yes": 6}, False),
    ({"voting_expected": 10, "yes": 6}, None),
])
def test_vote_thresholds(votes: dict[str, int], carried: bool | None) -> None:
    assert vote_outcome(votes)[0] is carried


def test_the_conclusion_of_a_record_under_way_and_of_none(branch: Registry) -> None:
    number = make_id("19960101", "017")
    add_person(branch, name="周八", id_number=number)
    assert conclusion(record_outline(branch, number, ON))[0] == "尚未递交入党申请书，没有发展党员工作记录。"
    advance_stage(branch, number, "入党申请人", "2026-11-20")
    summary = conclusion(record_outline(branch, number, ON))[0]
    assert "未发现问题" in summary and "尚待进行：党组织派人谈话" in summary


@needs_poppler
def test_long_free_text_is_cut_to_fit_a_page(complete: Registry, tmp_path: Path) -> None:
    from registry.services.development_steps import record_step

    for month in range(1, 13):  # a conclusion far longer than a page, entered monthly for a year
        record_step(complete, CANDIDATE, "activist_review", f"2022-{month:02d}-15" if month > 6 else f"2023-{month:02d}-10",
                    conclusion="表现良好。" * 120)
    out = tmp_path / "纪实.pdf"
    write_paper(complete, CANDIDATE, "record", out, on=ON)
    assert_paged_and_embedded(out)
    assert "…" in flat(out)  # cut, not lost silently: the workbook holds the whole text
    xlsx = tmp_path / "纪实.xlsx"
    write_paper(complete, CANDIDATE, "record", xlsx, on=ON)
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    assert any("表现良好。" * 120 in str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)


def test_the_vote_record_of_an_admission_over_a_missing_step_names_the_reason(flawed: Registry) -> None:
    cells = [[c.text for c in row] for b in build_paper(flawed, CANDIDATE, "vote", on=ON)[0].blocks for row in b.rows]
    topic = next(row[1] for row in cells if row[0] == "讨论事项")
    assert topic == "讨论接收陈晓红同志为中共预备党员（记录的原因：政审函调材料尚未寄回）"


def test_an_extension_and_a_cancellation_print_with_their_votes(flawed: Registry) -> None:
    from registry.services.development_steps import cancel_probation, record_step

    record_step(flawed, CANDIDATE, "extension", "2025-09-01", months=6, voting_expected=10, voting_present=9, yes=8,
                no=1)
    cancel_probation(flawed, CANDIDATE, "2026-03-01", reason="延长预备期后仍不履行党员义务", voting_expected=10,
                     voting_present=9, yes=7, no=2)
    vote = words(build_paper(flawed, CANDIDATE, "vote", on=ON)[0])
    assert "（二）讨论延长陈晓红同志的预备期" in vote and "（三）讨论取消陈晓红同志的预备党员资格" in vote
    assert "讨论取消陈晓红同志的预备党员资格（原因：延长预备期后仍不履行党员义务）" in vote
    record = build_paper(flawed, CANDIDATE, "record", on=ON)[0]
    rows = states(record)
    assert rows["支部大会讨论转正"] == "不再进行" and rows["取消预备党员资格"] == "已完成"
    assert "延长月数：6个月；表决：应到有表决权10人，实到有表决权9人；赞成8票，反对1票；通过" in words(record)

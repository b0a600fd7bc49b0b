"""Undoing an import: the confirmation and the result count the same people and records in the same words."""

from __future__ import annotations

from pathlib import Path

from registry.cli.main import main
from registry.importing.batches import undo_batch
from registry.importing.service import import_files
from registry.importing.undo_counts import UndoCounts, ask_undo, undo_counts, undo_result
from registry.services.people import add_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992
from tests.importing.test_import_service import census


def test_question_and_result_count_people_not_log_entries(reg: Registry, tmp_path: Path) -> None:
    add_person(reg, name="钱七", id_number="440305200001012617")  # the census changes her: restored, not deleted
    result = import_files(reg, [census(tmp_path / "census.xlsx")])
    added = reg.scalar("SELECT count(*) FROM people") - 1
    outlets, brands = reg.scalar("SELECT count(*) FROM outlets"), reg.scalar("SELECT count(*) FROM brands")
    orgs = reg.scalar("SELECT count(*) FROM organizations")
    planned = undo_counts(reg, result.batch)
    assert planned == UndoCounts(people_added=added, people_changed=1, outlets_added=outlets, brands_added=brands,
                                 organizations_added=orgs)
    question = ask_undo(reg, result.batch)
    words = f"删除新增的{added}人，恢复修改过的1人，删除新建的网点{outlets}个、品牌{brands}个、党组织{orgs}个"
    assert question == f"将撤销第{result.batch}批导入（census.xlsx）：{words}。\n\n确定撤销吗？"
    counts = undo_batch(reg, result.batch)
    assert counts["deleted"] > added  # log entries: people and outlets and brands — what the result once said
    assert UndoCounts.of(counts) == planned
    assert undo_result(result.batch, counts) == f"已撤销第{result.batch}批导入：{words}，数据已回到导入前的样子。"
    assert reg.scalar("SELECT count(*) FROM people") == 1


def test_the_command_line_says_it_in_the_same_words(tmp_path: Path, capsys) -> None:
    db = tmp_path / "t.db"
    path = tmp_path / "摸排.csv"
    path.write_text("姓名,身份证号,政治面貌,所在网点\n"
                    f"张三,{ID_MAN_1985},中共党员,沙河网点\n李芳,{ID_WOMAN_1992},中共党员,沙河网点\n"
                    f"王五,{ID_MAN_2000},群众,春熙路网点\n", encoding="utf-8-sig")
    with Registry(db, create=True) as reg:
        batch = import_files(reg, [path]).batch
        assert batch is not None
    capsys.readouterr()
    assert main(["--db", str(db), "import", "undo", str(batch)]) == 0
    assert capsys.readouterr().out.strip() == (f"已撤销第{batch}批导入：删除新增的3人，删除新建的网点2个，"
                                               "数据已回到导入前的样子。")

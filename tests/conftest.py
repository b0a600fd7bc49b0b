"""Shared fixtures: headless Qt, a fresh database per test, a few valid identity numbers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from registry.storage.database import Registry

# Valid numbers (check characters computed per GB 11643); birth dates and sexes noted.
ID_MAN_1985 = "510104198503154210"  # 1985-03-15 男
ID_WOMAN_1992 = "420106199207080064"  # 1992-07-08 女
ID_MAN_2000 = "440305200001012617"  # 2000-01-01 男


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's data folder (the temp-file journal, the default database) inside the test's own folder."""
    folder = tmp_path_factory.mktemp("appdata")
    monkeypatch.setenv("DANGJIAN_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def reg(tmp_path: Path) -> Iterator[Registry]:
    registry = Registry(tmp_path / "test.db", operator="测试员", create=True)
    yield registry
    registry.close()


def records_since_founding(reg: Registry, *names: str) -> None:
    """Branches whose 组织生活 records are all here (as if kept since founding), not only from the month added."""
    from registry.services.party_groups import set_branch_settings

    for name in names:
        set_branch_settings(reg, name, records_from=None)


@pytest.fixture
def branch(reg: Registry) -> Registry:
    """A registry with a committee, a branch and one outlet under it."""
    from registry.services.organizations import add_org
    from registry.services.outlets import add_outlet

    add_org(reg, name="示例区快递行业党委", type="行业党委")
    add_org(reg, name="城南快递联合党支部", type="联合党支部", parent="示例区快递行业党委")
    add_org(reg, name="流动党员党支部", type="流动党员党支部", parent="示例区快递行业党委")
    records_since_founding(reg, "城南快递联合党支部", "流动党员党支部")
    add_outlet(reg, name="沙河网点", brand="极兔速递", organization="城南快递联合党支部", workers="69")
    add_outlet(reg, name="春熙路网点", brand="中通快递", workers=86)
    return reg

"""The group tree: loading from YAML and CSV, checks, shares, tags."""

from __future__ import annotations

import pytest

from esgledger.errors import EsgError, NotFoundError, ValidationFailed
from esgledger.org import Entity, OrgTree, read_entities

CSV = """code,name_en,name_zh,kind,parent,ownership_share,operational_control,segment,tags
GRP,Group,集团,group,,,yes,,
SMELT,Smelter,冶炼厂,subsidiary,GRP,0.6,yes,smelting_separation,key-entity;inner-mongolia
KILN,Kiln line,窑炉车间,facility,SMELT,1.0,no,smelting_separation,
"""


def test_csv_rows_become_a_tree_with_shares_flags_and_tags(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text(CSV, encoding="utf-8")
    tree = OrgTree(read_entities(path))
    assert tree.root.code == "GRP"
    assert [e.code for e in tree.descendants("GRP")] == ["SMELT", "KILN"]
    assert tree.get("SMELT").tags == ("key-entity", "inner-mongolia")
    assert tree.get("KILN").operational_control is False
    assert tree.equity_share("KILN") == pytest.approx(0.6)
    assert [e.code for e in tree.tagged("key-entity")] == ["SMELT"]


def test_every_bad_yaml_entry_is_reported_with_its_line(tmp_path):
    path = tmp_path / "org.yaml"
    path.write_text(
        "entities:\n"
        "  - {code: GRP, name_en: G, name_zh: 集团, kind: group}\n"
        "  - {code: A, name_en: A, name_zh: 甲, kind: company, parent: GRP}\n"
        "  - {code: GRP, name_en: G2, name_zh: 集团2, kind: group}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as caught:
        read_entities(path)
    text = str(caught.value)
    assert "2 problem(s); nothing was loaded" in text
    assert f"{path}, line 3, column 'kind' (value 'company')" in text
    assert f"{path}, line 4, column 'code' (value 'GRP'): code already used at line 2" in text


def test_a_missing_parent_or_second_root_is_refused():
    from esgledger.org import Entity

    group = Entity(code="G", name_en="G", name_zh="G", kind="group")
    orphan = Entity(code="A", name_en="A", name_zh="A", kind="subsidiary", parent="X")
    with pytest.raises(EsgError, match="names parent 'X', which is not in the organisation"):
        OrgTree([group, orphan])
    other = Entity(code="H", name_en="H", name_zh="H", kind="group")
    with pytest.raises(EsgError, match="has 2 roots"):
        OrgTree([group, other])


def test_an_unknown_file_type_says_what_is_expected(tmp_path):
    path = tmp_path / "org.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(EsgError, match=r"expected a \.yaml or \.csv organisation file"):
        read_entities(path)


def test_an_unknown_entity_is_named_in_both_languages():
    tree = OrgTree([Entity(code="G", name_en="Group", name_zh="集团", kind="group")])
    with pytest.raises(NotFoundError) as raised:
        tree.get("SMELT")
    assert (
        raised.value.render("zh")
        == "没有代码为 'SMELT' 的单位；`esgledger org show` 可列出全部代码"
    )
    assert raised.value.render("en") == "no entity 'SMELT'; `esgledger org show` lists the codes"

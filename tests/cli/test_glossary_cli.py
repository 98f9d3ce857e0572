"""`esgledger glossary`: the terms with their sources, and a check of a user's text."""

from __future__ import annotations

import pytest

from esgledger.cli.glossary_cmd import glossary
from esgledger.cli.main import main
from esgledger.errors import EsgError


def test_the_glossary_lists_each_term_with_its_chinese_form_and_source(capsys):
    assert main(["glossary"]) == 0
    out = capsys.readouterr().out
    assert "范围一" in out and "综合能源消费量" in out and "gbt2589" in out


def test_a_text_using_another_form_is_named_and_fails(tmp_path, capsys):
    draft = tmp_path / "draft.html"
    draft.write_text("<p>范围1排放 1,234 吨标煤</p>", encoding="utf-8")
    assert main(["glossary", "--check", str(draft)]) == 1
    err = " ".join(capsys.readouterr().err.split())  # the console wraps at its width
    assert "'范围1' for 'Scope 1': write '范围一'" in err and "'吨标煤'" in err


def test_a_text_written_as_the_glossary_writes_passes(tmp_path, capsys):
    draft = tmp_path / "draft.html"
    draft.write_text("<p>范围一排放 1,234 吨标准煤</p>", encoding="utf-8")
    assert main(["glossary", "--check", str(draft)]) == 0


def test_a_file_that_cannot_be_read_is_refused_in_chinese(tmp_path, capsys):
    missing = tmp_path / "draft.html"
    with pytest.raises(EsgError) as refused:
        glossary(check=missing)
    assert refused.value.code == "command.glossary_unreadable"
    assert refused.value.render("zh") == (
        f"无法将 {missing} 读作 UTF-8 文本（No such file or directory）；请给出文本或 HTML 文件"
    )
    assert main(["--lang", "zh", "glossary", "--check", str(missing)]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert err.startswith("错误：无法将 ") and "Traceback" not in err

"""`esgledger materiality`: the topic list round trip through XLSX (atomic), links, scores."""

from __future__ import annotations

from openpyxl import load_workbook

from esgledger.cli.main import main
from esgledger.ledger.database import migrate, open_database, unit_of_work
from esgledger.materiality.topics import year_topics

KEY = "cli-test-link-key-0123456789"


def _ledger(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    database = open_database(url)
    migrate(database)
    database.dispose()
    return url


def _topics(url: str, year: int) -> list:
    database = open_database(url)
    with unit_of_work(database) as session:
        found = year_topics(session, year)
    database.dispose()
    return found


def test_topics_export_edit_import_round_trip(tmp_path, capsys):
    url, book = _ledger(tmp_path), tmp_path / "topics.xlsx"
    assert (
        main(["materiality", "topics", "export", "--year", "2025", "--out", str(book), "--db", url])
        == 0
    )
    workbook = load_workbook(book)
    sheet = workbook["topics"]
    assert sheet.max_row == 22 and sheet["B2"].value == "应对气候变化"
    sheet.append(["rare_earth_stewardship", "稀土资源保护性开发", "Rare earth resource stewardship",
                  "environmental", None, "sse.circular_economy", "group topic"])  # fmt: skip
    workbook.save(book)
    assert main(["materiality", "topics", "import", str(book), "--year", "2025", "--db", url]) == 0
    topics = _topics(url, 2025)
    assert len(topics) == 22 and topics[-1].name("zh") == "稀土资源保护性开发"
    assert topics[0].article == "Art.21-28"


def test_a_bad_row_refuses_the_whole_file_and_names_the_cell(tmp_path, capsys):
    url, book = _ledger(tmp_path), tmp_path / "topics.xlsx"
    main(["materiality", "topics", "export", "--year", "2025", "--out", str(book), "--db", url])
    workbook = load_workbook(book)
    workbook["topics"]["D5"] = "economic"  # not a dimension
    workbook["topics"]["A7"] = "sse.climate_change"  # a second row of this id
    workbook.save(book)
    assert main(["--lang", "zh", "materiality", "topics", "import", str(book), "--year", "2025",
                 "--db", url]) == 1  # fmt: skip
    err = " ".join(capsys.readouterr().err.split())
    assert "topics.xlsx" in err and "第 5 行" in err and "'dimension'" in err and "第 7 行" in err
    assert _topics(url, 2025) == []


def test_links_need_the_key_then_print_one_per_line(tmp_path, capsys, monkeypatch):
    url, book = _ledger(tmp_path), tmp_path / "topics.xlsx"
    main(["materiality", "topics", "export", "--year", "2025", "--out", str(book), "--db", url])
    main(["materiality", "topics", "import", str(book), "--year", "2025", "--db", url])
    capsys.readouterr()
    monkeypatch.delenv("ESGLEDGER_LINK_KEY", raising=False)
    args = ["materiality", "links", "--year", "2025", "--group", "suppliers", "--count", "3",
            "--base-url", "https://esg.example.com", "--db", url]  # fmt: skip
    assert main(args) == 1
    assert "ESGLEDGER_LINK_KEY" in capsys.readouterr().err
    monkeypatch.setenv("ESGLEDGER_LINK_KEY", KEY)
    assert main(args) == 0
    links = capsys.readouterr().out.split()
    assert len(links) == 3 and all(link.startswith("https://esg.example.com/s/") for link in links)
    assert main(["materiality", "score", "--year", "2025", "--db", url]) == 0
    assert "suppliers" in capsys.readouterr().out.lower()
    svg = tmp_path / "m.svg"
    assert main(["materiality", "matrix", "--year", "2025", "--out", str(svg), "--db", url]) == 0
    assert svg.read_text(encoding="utf-8").startswith("<svg")

"""`esgledger report build|verify` as a user runs them, on a Typer app they are registered into."""

from __future__ import annotations

import subprocess

import pytest
import typer
from typer.testing import CliRunner

from esgledger.cli import report_cmd
from esgledger.report import pdf


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """esgledger (test harness)."""

    report_cmd.register(app)
    return app


@pytest.fixture
def db(small_ledger) -> str:
    return str(small_ledger.url)


def test_build_then_verify(cli, db, tmp_path):
    out = tmp_path / "out"
    built = CliRunner().invoke(
        cli,
        [
            "report",
            "build",
            "--year",
            "2024",
            "--lang",
            "en,zh",
            "--format",
            "html,xlsx",
            "--out",
            str(out),
            "--db",
            db,
            "--snapshot",
            "1",
        ],
    )
    assert built.exit_code == 0, built.output
    assert "wrote" in built.output and "esg-report-2024-zh.html" in built.output
    assert sorted(p.name for p in out.iterdir()) == [
        "esg-report-2024-en.html",
        "esg-report-2024-en.xlsx",
        "esg-report-2024-zh.html",
        "esg-report-2024-zh.xlsx",
    ]
    checked = CliRunner().invoke(
        cli, ["report", "verify", str(out / "esg-report-2024-zh.html"), "--db", db]
    )
    assert checked.exit_code == 0, checked.output
    assert "printed items match snapshot" in " ".join(checked.output.split())


def test_verify_exits_non_zero_and_lists_the_differences(cli, db, tmp_path):
    CliRunner().invoke(
        cli,
        [
            "report",
            "build",
            "--year",
            "2024",
            "--lang",
            "en",
            "--format",
            "html",
            "--out",
            str(tmp_path),
            "--db",
            db,
            "--snapshot",
            "1",
        ],
    )
    path = tmp_path / "esg-report-2024-en.html"
    html = path.read_text(encoding="utf-8")
    path.write_text(html.replace('|group|2024">12,000<', '|group|2024">21,000<'), encoding="utf-8")
    checked = CliRunner().invoke(cli, ["report", "verify", str(path), "--db", db])
    assert checked.exit_code == 1
    assert "difference" in checked.output and "energy.natural_gas|group|2024" in checked.output


def test_an_unknown_format_is_refused_with_the_choices(cli, db, tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "build",
            "--year",
            "2024",
            "--format",
            "docx",
            "--out",
            str(tmp_path),
            "--db",
            db,
        ],
    )
    assert "html, pdf, xlsx" in str(result.exception)


def test_a_missing_cjk_font_is_a_warning_not_a_traceback(cli, db, tmp_path, monkeypatch):
    def no_fonts(*args, **kwargs):
        return subprocess.CompletedProcess(args, 0, stdout="", stderr="")

    pdf.cjk_font_problem.cache_clear()
    monkeypatch.setattr(pdf.subprocess, "run", no_fonts)
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: b"%PDF-1.7 stub")
    monkeypatch.setattr("esgledger.report.shipped.html_to_pdf", lambda html: b"%PDF-1.7 stub")
    try:
        result = CliRunner().invoke(
            cli,
            [
                "report",
                "build",
                "--year",
                "2024",
                "--lang",
                "zh",
                "--format",
                "pdf",
                "--out",
                str(tmp_path),
                "--db",
                db,
                "--snapshot",
                "1",
            ],
        )
    finally:
        pdf.cjk_font_problem.cache_clear()
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "fonts-noto-cjk" in result.output
    assert "Traceback" not in result.output


def test_without_fontconfig_the_warning_says_it_could_not_check(monkeypatch):
    pdf.cjk_font_problem.cache_clear()
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    try:
        assert "cannot check for a Chinese font" in pdf.cjk_font_problem()
    finally:
        pdf.cjk_font_problem.cache_clear()

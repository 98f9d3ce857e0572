"""The long work itself as jobs, on a copy of the demo ledger: a calculation over three
years reports its progress year by year and what it computed, and a report build keeps
its files as stored files whose hashes are the job's result."""

from __future__ import annotations

import hashlib

from esgledger.jobs import Jobs, JobStatus
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.ledger.files import read_file
from esgledger.settings import files_folder, load_settings


def demo_jobs(demo_ledger, tmp_path) -> tuple[Jobs, object]:
    url = demo_ledger.copy_to(tmp_path)
    settings = load_settings(db=url, factor_files=[str(demo_ledger.factors)])
    return Jobs(settings), open_database(url)


def test_a_calculation_over_three_years_steps_through_each_year(demo_ledger, tmp_path):
    jobs, database = demo_jobs(demo_ledger, tmp_path)
    job = jobs.submit("calculation", {"years": [2022, 2023, 2024]}, "zhang.wei", database)
    jobs.run(job.id)
    done = jobs.store.get(job.id)
    assert done.status is JobStatus.DONE, done.error
    assert (done.step, done.steps) == (4, 4)
    figures = done.result["group_figures_per_year"]
    assert sorted(figures) == ["2022", "2023", "2024"] and min(figures.values()) > 100
    assert done.result["snapshot_id"] >= 1 and len(done.result["snapshot_hash"]) == 64
    database.dispose()


def test_a_report_build_keeps_its_files_as_stored_files(demo_ledger, tmp_path):
    jobs, database = demo_jobs(demo_ledger, tmp_path)
    params = {"year": 2024, "lang": "zh", "formats": ["html", "xlsx"]}
    job = jobs.submit("report", params, "zhang.wei", database)
    jobs.run(job.id)
    done = jobs.store.get(job.id)
    assert done.status is JobStatus.DONE, done.error
    assert [f["name"] for f in done.result["files"]] == [
        "esg-report-2024-zh.html",
        "esg-report-2024-zh.xlsx",
    ]
    root = files_folder(jobs.settings)
    with unit_of_work(database) as session:
        for kept in done.result["files"]:
            info, data = read_file(session, root, kept["sha256"])
            assert hashlib.sha256(data).hexdigest() == kept["sha256"] == info.sha256
        html = read_file(session, root, done.result["files"][0]["sha256"])[1].decode()
    assert "2024" in html and "温室气体" in html
    database.dispose()

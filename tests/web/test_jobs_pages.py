"""Jobs over HTTP and on the pages: who may start which kind, who sees whose jobs, a
cancel, and a failed job shown as its message in the page's language."""

from __future__ import annotations

from esgledger.api.routers.jobs import app_jobs_of
from esgledger.jobs.worker import Worker
from tests.web.conftest import csrf_of


def api_token(client) -> dict[str, str]:
    return {"x-csrf-token": csrf_of(client.get("/jobs").text)}


def test_a_manager_queues_a_job_over_the_api_and_follows_it(app, client_for):
    client = client_for("manager")
    queued = client.post(
        "/api/v1/jobs", json={"kind": "ping", "params": {"steps": 2}}, headers=api_token(client)
    )
    assert queued.status_code == 202, queued.text
    job = queued.json()
    assert (job["status"], job["requested_by"], job["percent"]) == ("queued", "manager", 0)
    Worker(app_jobs_of(app)).run(until_empty=True)
    done = client.get(f"/api/v1/jobs/{job['id']}").json()
    assert (done["status"], done["percent"], done["result"]) == ("done", 100, {"steps": 2})
    assert [j["id"] for j in client.get("/api/v1/jobs").json()] == [job["id"]]


def test_reporters_start_no_report_builds_and_see_only_their_own_jobs(app, client_for):
    manager, reporter, auditor = (client_for(u) for u in ("manager", "reporter", "auditor"))
    refused = reporter.post(
        "/api/v1/jobs",
        json={"kind": "report", "params": {"year": 2023}},
        headers=api_token(reporter),
    )
    assert refused.status_code == 403
    assert "only group managers and admins" in refused.json()["error"]["message"]
    managers = manager.post(
        "/api/v1/jobs", json={"kind": "ping"}, headers=api_token(manager)
    ).json()
    own = reporter.post("/api/v1/jobs", json={"kind": "ping"}, headers=api_token(reporter)).json()
    assert [j["id"] for j in reporter.get("/api/v1/jobs").json()] == [own["id"]]
    assert reporter.get(f"/api/v1/jobs/{managers['id']}").status_code == 404
    assert {j["id"] for j in auditor.get("/api/v1/jobs").json()} == {own["id"], managers["id"]}
    assert managers["id"] not in reporter.get("/jobs").text


def test_a_queued_job_cancelled_from_its_page_never_runs(app, client_for):
    client = client_for("manager")
    job = client.post("/api/v1/jobs", json={"kind": "ping"}, headers=api_token(client)).json()
    page = client.get(f"/jobs/{job['id']}")
    assert 'data-test="job-cancel"' in page.text
    client.post(f"/jobs/{job['id']}/cancel", data={"csrf_token": csrf_of(page.text)})
    assert client.get(f"/api/v1/jobs/{job['id']}").json()["status"] == "cancelled"
    assert Worker(app_jobs_of(app)).run(until_empty=True) == 1
    assert client.get(f"/api/v1/jobs/{job['id']}").json()["started_at"] is None


def test_a_failed_job_shows_its_message_in_chinese_not_a_traceback(app, client_for):
    client = client_for("manager")
    client.get("/lang/zh?next=/jobs")
    queued = client.post(
        "/api/v1/jobs",
        json={"kind": "report", "params": {"year": 1999}},
        headers=api_token(client),
    ).json()
    Worker(app_jobs_of(app)).run(until_empty=True)
    page = client.get(f"/jobs/{queued['id']}").text
    assert "失败" in page and 'data-test="job-error"' in page
    assert "Traceback" not in page
    listing = client.get("/jobs").text
    assert queued["id"] in listing and "报告生成" in listing


def test_an_unreachable_queue_is_a_503_over_the_api_and_a_message_on_the_page(app, client_for):
    from esgledger.jobs import Jobs

    closed = app.state.settings.model_copy(update={"queue_url": "redis://127.0.0.1:1/0"})
    app.state.jobs = Jobs(closed)
    client = client_for("manager")
    token = {"x-csrf-token": csrf_of(client.get("/registers").text)}  # /jobs needs the queue
    answer = client.post("/api/v1/jobs", json={"kind": "ping"}, headers=token)
    assert answer.status_code == 503, answer.text
    message = answer.json()["error"]["message"]
    assert "the job queue at redis://127.0.0.1:1/0 cannot be reached" in message
    page = client.get("/jobs", headers={"accept-language": "zh-CN"})
    assert "无法连接任务队列" in page.text and "Traceback" not in page.text

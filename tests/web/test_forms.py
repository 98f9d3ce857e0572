"""Forms write through the ledger's services: save, submit, conflicts, upload, review, lock."""

from __future__ import annotations

import re

from esgledger.ledger.database import unit_of_work
from esgledger.ledger.revisions import Selection, latest_revisions
from tests.web.conftest import csrf_of

FORM = "/entry/SMELT/2024-01"
REVIEW = "/review/SMELT/2024"
ELECTRICITY = "energy.purchased_electricity"


def stored(app, entity: str = "SMELT", period: str = "2024-01") -> dict:
    with unit_of_work(app.state.database) as session:
        return {r.indicator: r for r in latest_revisions(session, Selection([entity], [period]))}


def post_form(client, values: dict[str, str], action: str = "save", path: str = FORM):
    """Post the form as loaded, with ``values`` typed into it (indicator → text)."""
    page = client.get(path).text
    data = {"csrf_token": csrf_of(page), "action": action}
    for indicator, text in values.items():
        seen = re.search(rf'name="s\.{re.escape(indicator)}" value="(\d*)"', page)
        data[f"v.{indicator}"] = text
        data[f"s.{indicator}"] = seen[1] if seen else ""
    return client.post(path, data=data)


def decide(client, action: str, reason: str = "", picks: list[str] | None = None):
    """Post the review form as loaded, with every submitted value ticked unless ``picks``."""
    page = client.get(REVIEW).text
    ticked = re.findall(r'name="pick" value="(\d+)"', page) if picks is None else picks
    data = {"csrf_token": csrf_of(page), "action": action, "reason": reason, "pick": ticked}
    return client.post(REVIEW, data=data)


def ticked_on(page: str) -> set[str]:
    """The revision ids whose boxes the review page shows ticked."""
    return set(re.findall(r'name="pick" value="(\d+)" form="decision-form" checked', page))


def test_saving_the_form_stores_the_values_as_drafts(app, client_for):
    client = client_for("reporter")
    response = post_form(client, {ELECTRICITY: "1100", "production.reo_output": "52"})
    assert response.status_code == 200
    assert "Saved: 2 value(s) changed." in response.text
    values = stored(app)
    assert values[ELECTRICITY].canonical_value == 1100
    assert values[ELECTRICITY].status == "draft"
    assert values["production.reo_output"].value == "52"


def test_a_value_in_another_unit_is_converted(app, client_for):
    client = client_for("reporter")
    page = client.get(FORM).text
    assert '<option value="kWh" data-factor="0.001">kWh</option>' in page
    data = {
        "csrf_token": csrf_of(page),
        "action": "save",
        f"v.{ELECTRICITY}": "1050000",
        f"u.{ELECTRICITY}": "kWh",
        f"s.{ELECTRICITY}": "",
    }
    client.post(FORM, data=data)
    revision = stored(app)[ELECTRICITY]
    assert (revision.value, revision.unit, revision.canonical_value) == ("1050000", "kWh", 1050)


def test_a_large_change_from_last_year_is_flagged(client_for):
    client = client_for("reporter")
    page = client.get(FORM).text
    assert 'data-last="1000.0"' in page  # what the page's script compares with
    assert 'data-threshold="20.0"' in page
    response = post_form(client, {ELECTRICITY: "1500"})
    assert "+50.0% against last year (more than 20%)" in response.text
    assert "1 value(s) differ from last year" in response.text
    calm = post_form(client, {ELECTRICITY: "1100"})
    assert 'data-test="yoy-summary"' not in calm.text


def test_a_value_changed_meanwhile_is_a_conflict_with_a_reload_message(app, client_for):
    reporter, manager = client_for("reporter"), client_for("manager")
    post_form(reporter, {ELECTRICITY: "1100"})
    stale = reporter.get(FORM).text
    post_form(manager, {ELECTRICITY: "1200"})
    seen = re.search(rf'name="s\.{re.escape(ELECTRICITY)}" value="(\d+)"', stale)[1]
    response = reporter.post(
        FORM,
        data={
            "csrf_token": csrf_of(stale),
            "action": "save",
            f"v.{ELECTRICITY}": "1300",
            f"s.{ELECTRICITY}": seen,
        },
    )
    assert response.status_code == 409
    assert "Someone else changed this form." in response.text
    assert "Reload the form" in response.text
    assert stored(app)[ELECTRICITY].canonical_value == 1200


def test_an_untouched_field_does_not_conflict(app, client_for):
    reporter, manager = client_for("reporter"), client_for("manager")
    post_form(reporter, {ELECTRICITY: "1100"})
    stale = reporter.get(FORM).text
    post_form(manager, {ELECTRICITY: "1200"})
    data = {"csrf_token": csrf_of(stale), "action": "save", "v.production.reo_output": "51"}
    assert reporter.post(FORM, data=data).status_code == 200
    assert stored(app)[ELECTRICITY].canonical_value == 1200


def test_an_invalid_value_is_shown_next_to_its_field(app, client_for):
    response = post_form(client_for("reporter"), {ELECTRICITY: "lots", "energy.diesel": "2"})
    assert response.status_code == 422
    row = re.search(rf'<tr class="field has-error[^"]*" data-indicator="{ELECTRICITY}".*?</tr>',
                    response.text, re.S)  # fmt: skip
    assert row and 'data-test="field-error"' in row[0]
    assert stored(app) == {}


def test_submitting_sends_every_value_of_the_period_to_review(app, client_for):
    client = client_for("reporter")
    post_form(client, {"production.reo_output": "52"})
    response = post_form(client, {ELECTRICITY: "1100"}, action="submit")
    assert "Submitted for review" in response.text
    assert {r.status for r in stored(app).values()} == {"submitted"}


def test_a_manager_approves_and_rejects_with_a_reason(app, client_for):
    post_form(client_for("reporter"), {ELECTRICITY: "1100"}, action="submit")
    manager = client_for("manager")
    queue = manager.get("/review").text
    assert "/review/SMELT/2024" in queue
    page = manager.get("/review/SMELT/2024").text
    assert "+10.0%" in page  # against January 2023
    refused = decide(manager, "reject")
    assert refused.status_code == 422
    assert "A rejection needs a reason" in refused.text
    assert "Rejected 1 value(s)" in decide(manager, "reject", "meter reading missing").text
    assert stored(app)[ELECTRICITY].status == "rejected"
    history = manager.get(f"/observations/SMELT/2024-01/{ELECTRICITY}").text
    assert "meter reading missing" in history
    post_form(client_for("reporter"), {}, action="submit")
    decide(manager, "approve")
    assert stored(app)[ELECTRICITY].status == "approved"


def test_approving_two_of_three_submitted_values_leaves_the_third_submitted(app, client_for):
    post_form(client_for("reporter"), {ELECTRICITY: "1100", "energy.diesel": "2",
                                       "production.reo_output": "52"}, action="submit")  # fmt: skip
    ids = {name: str(r.id) for name, r in stored(app).items()}
    response = decide(
        client_for("manager"), "approve", picks=[ids[ELECTRICITY], ids["energy.diesel"]]
    )
    assert "Approved 2 value(s)" in response.text
    statuses = {name: r.status for name, r in stored(app).items()}
    assert statuses == {ELECTRICITY: "approved", "energy.diesel": "approved",
                        "production.reo_output": "submitted"}  # fmt: skip


def test_rejecting_a_chosen_value_needs_a_reason_and_keeps_the_choice(app, client_for):
    post_form(client_for("reporter"), {ELECTRICITY: "1100", "energy.diesel": "2"}, action="submit")
    manager, chosen = client_for("manager"), str(stored(app)[ELECTRICITY].id)
    refused = decide(manager, "reject", picks=[chosen])
    assert refused.status_code == 422
    assert "A rejection needs a reason" in refused.text
    assert ticked_on(refused.text) == {chosen}  # not every box ticked again
    assert re.search(r"data-picked>1<", refused.text)
    assert {r.status for r in stored(app).values()} == {"submitted"}
    done = decide(manager, "reject", "meter reading missing", picks=[chosen])
    assert "Rejected 1 value(s)" in done.text
    statuses = {name: r.status for name, r in stored(app).items()}
    assert statuses == {ELECTRICITY: "rejected", "energy.diesel": "submitted"}


def test_nothing_ticked_changes_nothing_and_says_so(app, client_for):
    post_form(client_for("reporter"), {ELECTRICITY: "1100"}, action="submit")
    manager = client_for("manager")
    for action in ("approve", "reject"):
        response = decide(manager, action, picks=[])
        assert response.status_code == 422
        assert "Tick at least one submitted value" in response.text
        assert ticked_on(response.text) == set()
    assert stored(app)[ELECTRICITY].status == "submitted"
    assert "Tick at least one" in decide(manager, "reject", "why", picks=[]).text


def test_a_value_changed_since_the_page_was_loaded_is_not_decided(app, client_for):
    post_form(client_for("reporter"), {ELECTRICITY: "1100", "energy.diesel": "2"}, action="submit")
    manager = client_for("manager")
    page = manager.get(REVIEW).text
    ticked = re.findall(r'name="pick" value="(\d+)"', page)
    post_form(client_for("reporter"), {ELECTRICITY: "1200"}, action="submit")  # a new revision
    data = {"csrf_token": csrf_of(page), "action": "approve", "reason": "", "pick": ticked}
    response = manager.post(REVIEW, data=data)
    assert response.status_code == 409
    assert "changed or were decided since the page was loaded" in response.text
    assert {r.status for r in stored(app).values()} == {"submitted"}
    assert ticked_on(response.text) == {str(stored(app)["energy.diesel"].id)}  # new one unticked


def test_a_year_locks_once_everything_is_approved(app, client_for):
    manager = client_for("manager")
    queue = manager.get("/review?year=2023").text
    assert "Lock 2023" in queue
    response = manager.post("/review/lock/2023", data={"csrf_token": csrf_of(queue)})
    assert "Locked 2023" in response.text
    form = manager.get("/entry/SMELT/2023-01").text
    assert "2023-01 is locked" in form
    assert "Save draft" not in form


def test_a_year_with_open_values_cannot_be_locked(client_for):
    post_form(client_for("reporter"), {ELECTRICITY: "1100"})
    manager = client_for("manager")
    queue = manager.get("/review?year=2024").text
    assert "Lock 2024" not in queue
    response = manager.post("/review/lock/2024", data={"csrf_token": csrf_of(queue)})
    assert response.status_code == 409
    assert "cannot be locked" in response.text


def test_a_file_upload_imports_all_or_nothing(app, client_for, tmp_path):
    client = client_for("reporter")
    token = csrf_of(client.get(FORM).text)
    good = f"entity,period,indicator,value,unit\nSMELT,2024-01,{ELECTRICITY},990,MWh\n"
    response = client.post(
        f"{FORM}/upload",
        data={"csrf_token": token},
        files={"file": ("january.csv", good.encode(), "text/csv")},
    )
    assert "File imported: 1 value(s) changed." in response.text
    assert stored(app)[ELECTRICITY].canonical_value == 990
    foreign = good.replace("SMELT", "METAL")
    response = client.post(
        f"{FORM}/upload",
        data={"csrf_token": token},
        files={"file": ("metal.csv", foreign.encode(), "text/csv")},
    )
    assert response.status_code == 403
    assert "not yours: METAL" in response.text
    assert stored(app, "METAL") == {}


def test_the_history_page_lists_every_revision(client_for):
    reporter = client_for("reporter")
    post_form(reporter, {ELECTRICITY: "1100"})
    post_form(reporter, {}, action="submit")
    text = client_for("manager").get(f"/observations/SMELT/2024-01/{ELECTRICITY}").text
    assert text.count("reporter") >= 2  # entered, then submitted
    assert "form SMELT 2024-01" in text  # the source of a form save


def test_the_dashboard_follows_approvals(app, client_for):
    manager = client_for("manager")
    cell = re.compile(r'data-cell="SMELT\|2024\|ghg.scope2">(.*?)</td>', re.S)
    before = cell.search(manager.get("/").text)[1]
    post_form(client_for("reporter"), {ELECTRICITY: "1100"}, action="submit")
    decide(manager, "approve")
    after = cell.search(manager.get("/").text)[1]
    assert before.strip() == "—"
    assert "ghg.scope2" in after and after != before


def test_the_review_queue_flags_implausible_anode_use(client_for):
    # 1,000 t anode for 1,000 t metal: 3.667 t CO2/t, above the measured 0.165-0.6724 t/t
    values = {
        "process.carbon_anode_consumed": "1000",
        "process.re_metal_electrolysis_output": "1000",
    }
    post_form(client_for("reporter"), values, action="submit")
    queue = client_for("manager").get("/review?year=all").text
    assert 'data-test="plausibility"' in queue and "anode CO2 3.667 t per t" in queue


def test_plausible_anode_use_raises_no_flag_in_the_review_queue(client_for):
    values = {
        "process.carbon_anode_consumed": "100",
        "process.re_metal_electrolysis_output": "1000",
    }
    post_form(client_for("reporter"), values, action="submit")
    assert 'data-test="plausibility"' not in client_for("manager").get("/review?year=all").text


def test_an_upload_page_refuses_odd_names_and_oversized_files_clearly(app, client_for):
    client = client_for("reporter")
    token = csrf_of(client.get(FORM).text)
    good = f"entity,period,indicator,value,unit\nSMELT,2024-01,{ELECTRICITY},990,MWh\n".encode()

    def send(name: str):
        files = {"file": (name, good, "text/csv")}
        return client.post(f"{FORM}/upload", data={"csrf_token": token}, files=files)

    response = send("..")
    assert response.status_code == 422
    assert "is not a file name esgledger can use" in response.text
    app.state.settings = app.state.settings.model_copy(update={"import_max_bytes": 20})
    response = send("january.csv")
    assert response.status_code == 413
    assert "over the import limit of 20 bytes" in response.text
    assert stored(app) == {}


def test_a_value_typed_with_full_width_digits_is_saved_as_a_number(app, client_for):
    response = post_form(client_for("reporter"), {ELECTRICITY: "１，１００．５"})
    assert response.status_code == 200
    assert stored(app)[ELECTRICITY].canonical_value == 1100.5

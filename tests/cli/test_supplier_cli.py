"""`esgledger supplier`: a link made on the command line is answered, the classes are
listed, and the supplier-specific figures are written as drafts; an unknown supplier is a
message, not a traceback."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.conftest import SMALL_GROUP
from tests.suppliers.helpers import BEST_EVALUATION, register, supplier

from esgledger.cli.main import main
from esgledger.ledger import calendar
from esgledger.ledger.database import migrate, open_database, unit_of_work
from esgledger.ledger.orgstore import save_entities
from esgledger.suppliers.questionnaires import RawAnswer, open_questionnaire, submit_answer

KEY = "cli-test-link-key-0123456789"


def _ledger(tmp_path):
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    database = open_database(url)
    migrate(database)
    with unit_of_work(database) as session:
        calendar.open_years(session, "tester", [2024])
        save_entities(session, "tester", SMALL_GROUP)
    register(database, supplier("S1"))
    return url, database


def test_a_link_from_the_command_line_is_answered_and_classed(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ESGLEDGER_LINK_KEY", KEY)
    url, database = _ledger(tmp_path)
    args = ["supplier", "link", "S1", "--kind", "evaluation", "--year", "2024", "--db", url]
    assert main(args) == 0
    token = re.search(r"/q/(\S+)", capsys.readouterr().out)[1]
    with unit_of_work(database) as session:
        claims = open_questionnaire(KEY.encode(), token, datetime.now(UTC))
        submit_answer(session, claims, RawAnswer(BEST_EVALUATION, {}), datetime.now(UTC))
    assert main(["supplier", "list", "--year", "2024", "--db", url]) == 0
    listed = capsys.readouterr().out
    assert re.search(r"S1 .* strategic .* new", listed)
    assert main(["supplier", "feed", "--year", "2024", "--db", url]) == 0
    assert "0 entities written" in capsys.readouterr().out
    database.dispose()


def test_an_unknown_supplier_is_a_message(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ESGLEDGER_LINK_KEY", KEY)
    url, database = _ledger(tmp_path)
    database.dispose()
    code = main(["supplier", "link", "NOPE", "--kind", "admission", "--year", "2024", "--db", url])
    assert code != 0
    captured = capsys.readouterr()
    assert "no supplier NOPE" in captured.out + captured.err
    assert "Traceback" not in captured.out + captured.err

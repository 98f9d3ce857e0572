"""The password policy (OWASP ASVS 2.1): length, blank, leaked and guessable passwords."""

from __future__ import annotations

from importlib.resources import files

import pytest
import yaml

from esgledger.auth.passwords import WeakPassword, check_policy
from tests.api.conftest import PASSWORD as API_PASSWORD
from tests.web.conftest import PASSWORD as WEB_PASSWORD


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("password", "needs at least 12"),
        (" " * 8, "blank or only spaces"),
        (" " * 12, "blank or only spaces"),
        ("\t\n  \u3000      ", "blank or only spaces"),
        ("short-one", "has 9 characters"),
        ("ghhh47hj7649", "leaked in data breaches"),  # random-looking, but in the leaked list
        ("QWERTY123456", "leaked in data breaches"),  # the list is checked case-insensitively
        ("passwordpassword", "too easy to guess"),
        ("aaaaaaaaaaaaaaaa", "too easy to guess"),
        ("x" * 129, "longer than 128"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason_and_what_to_do(password, reason):
    with pytest.raises(WeakPassword) as refused:
        check_policy(password)
    assert reason in refused.value.message
    if "longer" not in reason:
        assert "choose a passphrase" in refused.value.message


def test_the_user_name_itself_makes_a_password_guessable():
    check_policy("liuwenjing2024")
    with pytest.raises(WeakPassword, match="too easy to guess"):
        check_policy("liuwenjing2024", "liuwenjing")


def test_no_composition_rules_a_long_lowercase_passphrase_is_fine():
    check_policy("tractor lantern oyster")
    check_policy("稀土冶炼厂的能源工程师和经理")  # characters, not bytes, are counted


def test_the_demo_and_test_passwords_satisfy_the_policy():
    accounts = yaml.safe_load(
        (files("esgledger.demo") / "data" / "accounts.yaml").read_text(encoding="utf-8")
    )["accounts"]
    for account in accounts:
        check_policy(account["password"], account["username"], account["name"])
    check_policy(API_PASSWORD)
    check_policy(WEB_PASSWORD)

"""Password hashing, verification in constant work, and the password policy.

Hashes are argon2id with argon2-cffi's defaults (RFC 9106). A login for a name that does
not exist (or an inactive account) still verifies the password against a dummy hash made
with the same parameters, so the answer takes as long as for a real account and its
timing does not tell which names exist (OWASP ASVS 2.2 / 3.x account enumeration).

The policy follows OWASP ASVS 4.0 section 2.1 (level 2): at least 12 characters, at most
128, no composition rules, and no password that is common or easy to guess. "Common" is
judged by zxcvbn (Dropbox's estimator, MIT licence), which ships a list of the 30,000 most
frequent passwords of leaked password dumps (Xato's 10 million passwords) and English
words, names and keyboard patterns; a password it would expect to be guessed in under
10^8 tries (score below 3) is refused with its reason.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from esgledger.errors import EsgError, Phrase

_HASHER = PasswordHasher()
MIN_LENGTH = 12  # ASVS 2.1.1
MAX_LENGTH = 128  # ASVS 2.1.2: at least 64 must be allowed; longer only slows the hash
MIN_SCORE = 3  # zxcvbn: "safely unguessable", about 10^8 guesses or more
_ESTIMATED_PREFIX = 100  # zxcvbn's time grows fast with length; its own ports cut at 100
_BREACHED = frozenset(FREQUENCY_LISTS["passwords"])
_dummy_hashes: dict[tuple[int, ...], str] = {}


class WeakPassword(EsgError):
    """A new password that the policy refuses; the message says why and what to do."""


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; with no stored hash, the same work against a dummy."""
    try:
        return _HASHER.verify(stored_hash or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):  # both mean: this password does not match
        return False


def _dummy_hash() -> str:
    """A hash of a random secret, made with the current hasher's parameters (cached)."""
    params = (_HASHER.time_cost, _HASHER.memory_cost, _HASHER.parallelism, _HASHER.hash_len)
    if params not in _dummy_hashes:
        _dummy_hashes[params] = _HASHER.hash("no account has this password: " + repr(params))
    return _dummy_hashes[params]


def check_policy(password: str, *context: str) -> None:
    """Refuse a password that is too short, too long, blank or easy to guess.

    ``context`` holds words a guesser would try first for this account (user name,
    display name). No rules about digits, capitals or symbols (ASVS 2.1.9).

    Raises:
        WeakPassword: naming the reason and what to choose instead.
    """
    advice = Phrase.of("account.advice", least=MIN_LENGTH)
    if not password.strip():
        raise WeakPassword.coded("account.blank", advice=advice)
    if len(password) < MIN_LENGTH:
        raise WeakPassword.coded(
            "account.too_short", length=len(password), least=MIN_LENGTH, advice=advice
        )
    if len(password) > MAX_LENGTH:
        raise WeakPassword.coded("account.too_long", most=MAX_LENGTH)
    if password.lower() in _BREACHED:
        raise WeakPassword.coded("account.breached", advice=advice)
    estimate = zxcvbn(password[:_ESTIMATED_PREFIX], user_inputs=[*context, "esgledger"])
    if estimate["score"] < MIN_SCORE:
        reason = estimate["feedback"]["warning"] or "it is easy to guess"
        raise WeakPassword.coded("account.guessable", reason=reason.rstrip("."), advice=advice)

"""The API tests' application fixtures, shared with this folder's API and page tests."""

from tests.api.conftest import api, fast_password_hashing, template_ledger  # noqa: F401

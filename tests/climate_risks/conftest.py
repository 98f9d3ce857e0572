"""Fixtures shared with this folder: the API tests' application, the demo report."""

from tests.api.conftest import api, fast_password_hashing, template_ledger  # noqa: F401
from tests.report.conftest import catalog, demo_report  # noqa: F401

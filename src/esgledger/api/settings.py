"""Server settings, read from ESGLEDGER_* environment variables and checked at start-up.

The targets file and the scenario folder are settings like the ledger's URL, with no
default: a server judging a customer's ledger against the demo group's commitments would
show plausible, wrong statuses. :func:`targets_file` and :func:`scenarios_folder` are the one
resolver the API, the web pages and the command line use; the demo passes its own files.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from esgledger.errors import NotFoundError

TARGETS_ENV = "ESGLEDGER_TARGETS"
SCENARIOS_ENV = "ESGLEDGER_SCENARIOS"
NO_TARGETS = f"no targets file configured — set {TARGETS_ENV} / --targets to a targets YAML"
NO_SCENARIOS = (
    f"no scenario folder configured — set {SCENARIOS_ENV} / --scenarios to a folder of "
    "scenario YAML files"
)


class Settings(BaseSettings):
    """What `esgledger serve` can be told; every field has an ESGLEDGER_ variable."""

    model_config = SettingsConfigDict(env_prefix="ESGLEDGER_", extra="ignore")

    db: str = "sqlite:///esgledger.db"
    secure_cookies: bool = True
    yoy_warning_percent: float = Field(default=20.0, gt=0)
    factor_files: list[str] = []
    page_size: int = Field(default=100, gt=0, le=1000)
    targets: Path | None = None  # ESGLEDGER_TARGETS: the company's targets YAML
    scenarios: Path | None = None  # ESGLEDGER_SCENARIOS: its folder of scenario YAML files


class NotConfigured(NotFoundError):
    """A file the request needs was never configured (as opposed to configured and absent)."""


def targets_file(configured: Path | str | None) -> Path:
    """The targets file to judge: the one configured (setting or ``--targets``), never a default.

    Raises:
        NotConfigured: none is configured.
        NotFoundError: the configured path is not a file.
    """
    if not configured:
        raise NotConfigured(NO_TARGETS)
    path = Path(configured)
    if not path.is_file():
        raise NotFoundError(
            f"no targets file at {path}; set {TARGETS_ENV} / --targets to a targets YAML"
        )
    return path


def scenarios_folder(configured: Path | str | None) -> Path:
    """The folder of scenario files: the one configured, never a default.

    Raises:
        NotConfigured: none is configured.
    """
    if not configured:
        raise NotConfigured(NO_SCENARIOS)
    return Path(configured)

"""Server settings, read from ESGLEDGER_* environment variables and checked at start-up.

The targets file and the scenario folder are settings like the ledger's URL, with no
default: a server judging a customer's ledger against the demo group's commitments would
show plausible, wrong statuses. :func:`targets_file` and :func:`scenarios_folder` are the one
resolver the API, the web pages and the command line use; the demo passes its own files.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from esgledger.errors import NotFoundError
from esgledger.ledger.imports.limits import ImportLimits
from esgledger.reporting_time import DEFAULT_ZONE, zone_named

TARGETS_ENV = "ESGLEDGER_TARGETS"
SCENARIOS_ENV = "ESGLEDGER_SCENARIOS"
NO_TARGETS = f"no targets file configured — set {TARGETS_ENV} / --targets to a targets YAML"
NO_SCENARIOS = (
    f"no scenario folder configured — set {SCENARIOS_ENV} / --scenarios to a folder of "
    "scenario YAML files"
)
_UPLOADS = ImportLimits()  # the defaults for files sent to the server


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
    # ESGLEDGER_TIMEZONE: times are stored in UTC and shown in this zone (tz database name)
    timezone: str = DEFAULT_ZONE
    # Uploads (docs/user-guide.md, "Limits"): a file over one is refused whole, with a 413.
    import_max_bytes: int = Field(default=_UPLOADS.max_bytes, gt=0)
    import_max_unzipped_bytes: int = Field(default=_UPLOADS.max_unzipped_bytes, gt=0)
    import_max_zip_ratio: int = Field(default=_UPLOADS.max_zip_ratio, gt=1)
    import_max_rows: int = Field(default=_UPLOADS.max_rows, gt=0)
    import_max_cells: int = Field(default=_UPLOADS.max_cells, gt=0)
    # The csv module refuses longer fields on its own, whatever this says.
    import_max_cell_chars: int = Field(default=_UPLOADS.max_cell_chars, gt=0, le=131_072)
    import_max_problems: int = Field(default=_UPLOADS.max_problems, gt=0, le=10_000)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        zone_named(name)  # a clear error at start-up, not on the first page with a time
        return name

    def import_limits(self) -> ImportLimits:
        """The limits every upload (API and web page) is read under."""
        return ImportLimits(
            max_bytes=self.import_max_bytes,
            max_unzipped_bytes=self.import_max_unzipped_bytes,
            max_zip_ratio=self.import_max_zip_ratio,
            max_rows=self.import_max_rows,
            max_cells=self.import_max_cells,
            max_cell_chars=self.import_max_cell_chars,
            max_problems=self.import_max_problems,
        )


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

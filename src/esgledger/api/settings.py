"""Server settings, read from ESGLEDGER_* environment variables and checked at start-up."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from esgledger.ledger.imports.limits import ImportLimits

_UPLOADS = ImportLimits()  # the defaults for files sent to the server


class Settings(BaseSettings):
    """What `esgledger serve` can be told; every field has an ESGLEDGER_ variable."""

    model_config = SettingsConfigDict(env_prefix="ESGLEDGER_", extra="ignore")

    db: str = "sqlite:///esgledger.db"
    secure_cookies: bool = True
    yoy_warning_percent: float = Field(default=20.0, gt=0)
    factor_files: list[str] = []
    page_size: int = Field(default=100, gt=0, le=1000)
    # Uploads (docs/user-guide.md, "Limits"): a file over one is refused whole, with a 413.
    import_max_bytes: int = Field(default=_UPLOADS.max_bytes, gt=0)
    import_max_unzipped_bytes: int = Field(default=_UPLOADS.max_unzipped_bytes, gt=0)
    import_max_zip_ratio: int = Field(default=_UPLOADS.max_zip_ratio, gt=1)
    import_max_rows: int = Field(default=_UPLOADS.max_rows, gt=0)
    import_max_cells: int = Field(default=_UPLOADS.max_cells, gt=0)
    # The csv module refuses longer fields on its own, whatever this says.
    import_max_cell_chars: int = Field(default=_UPLOADS.max_cell_chars, gt=0, le=131_072)
    import_max_problems: int = Field(default=_UPLOADS.max_problems, gt=0, le=10_000)

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

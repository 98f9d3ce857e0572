"""Server settings, read from ESGLEDGER_* environment variables and checked at start-up."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """What `esgledger serve` can be told; every field has an ESGLEDGER_ variable."""

    model_config = SettingsConfigDict(env_prefix="ESGLEDGER_", extra="ignore")

    db: str = "sqlite:///esgledger.db"
    secure_cookies: bool = True
    yoy_warning_percent: float = Field(default=20.0, gt=0)
    factor_files: list[str] = []
    page_size: int = Field(default=100, gt=0, le=1000)

"""The one source of esgledger's configuration: the ``ESGLEDGER_*`` environment variables.

Every module that needs a setting asks :func:`load_settings` (or is handed a
:class:`Settings`), so a variable is read and checked in one place: a bad value is one clear
message naming the variable, what it holds and what it takes, before any work starts.
`esgledger serve` builds its Settings from its options and passes them to the application
factory; nothing writes the environment to talk to another part of esgledger.

The targets file and the scenario folder have no default: a server judging a customer's
ledger against the demo group's commitments would show plausible, wrong statuses.
:func:`targets_file` and :func:`scenarios_folder` are the one resolver the API, the web
pages and the command line use.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pydantic_settings
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from esgledger.errors import EsgError, NotFoundError, Phrase, close_matches

PREFIX = "ESGLEDGER_"
DEFAULT_DB = "sqlite:///esgledger.db"
MB = 1 << 20


class SettingsError(EsgError):
    """A configuration variable holds a value esgledger cannot use."""


class Settings(BaseSettings):
    """Everything esgledger can be told; each field is the variable ``ESGLEDGER_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore")

    db: str = DEFAULT_DB  # the ledger's database URL (sqlite:///file.db, postgresql://...)
    user: str | None = None  # who the command line records as author (default: the login)
    audit_key: str | None = None  # HMAC key signing audit checkpoints (ledger/checkpoint.py)
    # HMAC key signing the links sent to people without an account (surveys, supplier
    # questionnaires: auth/links.py); a server that issues links refuses to start one without.
    link_key: str | None = None
    timezone: str = "Asia/Shanghai"  # IANA zone the group reports in (dates on pages)
    language: Literal["en", "zh"] = "en"  # of the command line's error messages (--lang)
    secure_cookies: bool = True
    yoy_warning_percent: float = Field(default=20.0, gt=0)
    factor_files: list[str] = []
    targets: Path | None = None  # the company's targets YAML
    scenarios: Path | None = None  # its folder of scenario YAML files
    products: Path | None = None  # its folder of product-system YAML files (footprints)
    # Evidence files (photos, plans, invoices), content-addressed (ledger/files.py); by
    # default a folder beside a SQLite ledger, else under the user's data folder.
    files_dir: Path | None = None
    file_max_bytes: int = Field(default=20 * MB, gt=0)  # one evidence file as uploaded
    # Evidence files in S3-compatible storage instead of the folder: s3://bucket/prefix,
    # with the service's endpoint (None: AWS), region and keys (None: boto3's own chain)
    files_url: str | None = None
    files_s3_endpoint: str | None = None
    files_s3_region: str | None = None
    files_s3_access_key: str | None = None
    files_s3_secret_key: str | None = None
    # What evidence attached to values and imports may be, by the type its bytes show
    # (media types, or the short names pdf, jpeg, png, webp, xlsx): evidence/types.py
    evidence_types: list[str] = ["pdf", "jpeg", "png", "webp", "xlsx"]
    session_prune_minutes: float = Field(default=60.0, gt=0)  # expired logins removed
    # Uploads to the server (docs/user-guide.md, "Limits"): a file over one is refused whole.
    import_max_bytes: int = Field(default=20 * MB, gt=0)  # the file as uploaded
    import_max_unzipped_bytes: int = Field(default=64 * MB, gt=0)  # an XLSX's parts
    import_max_zip_ratio: int = Field(default=100, gt=1)  # unpacked / packed, per part > 1 MB
    import_max_rows: int = Field(default=100_000, gt=0)  # non-empty rows, headers included
    import_max_cells: int = Field(default=1_000_000, gt=0)  # empty cells inside a row too
    # Excel's own limit; the csv module refuses longer fields whatever this says.
    import_max_cell_chars: int = Field(default=32_767, gt=0, le=131_072)
    import_max_problems: int = Field(default=100, gt=0, le=10_000)  # listed one by one
    # Background jobs (jobs/): the queue and the job records live in SQLite beside the
    # ledger unless this names a Redis server (redis://host:6379/0); docs/user-guide.md, "Jobs".
    queue_url: str | None = None
    queue_name: str = "esgledger"  # the queue's name (its Redis key prefix)
    job_stale_seconds: float = Field(default=60.0, gt=0)  # no heartbeat for this long: lost
    job_max_attempts: int = Field(default=2, gt=0)  # a job whose worker died is run again
    job_keep_days: float = Field(default=30.0, gt=0)  # finished job records, then forgotten
    smtp_host: str = "127.0.0.1"  # the mail server notifications are sent through
    smtp_port: int = Field(default=25, gt=0, lt=65536)
    smtp_from: str = "esgledger@localhost"
    # Notices (reminders, escalations) also go to an enterprise chat robot when set: a JSON
    # POST to this URL in the format chat tools take (wecom: WeCom and DingTalk robots,
    # {"msgtype": "text", ...}; feishu: Feishu/Lark, {"msg_type": "text", ...}).
    notice_webhook_url: str | None = None
    notice_webhook_format: Literal["wecom", "feishu"] = "wecom"
    # The hour of the day (reporting time zone) the worker sends campaign reminders.
    reminder_hour: int = Field(default=8, ge=0, le=23)
    # `esgledger serve` runs a worker thread in each server process, so the embedded setup
    # needs no second command; false when `esgledger worker` runs as a service of its own
    embedded_worker: bool = True

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        """A zone name the time zone database knows, so that a typo fails at start-up."""
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            close = close_matches(name, available_timezones())
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ValueError(f"an IANA time zone name such as Asia/Shanghai{hint}") from None
        return name


def load_settings(**given: Any) -> Settings:
    """The settings from the environment, with ``given`` values (command options) on top.

    Raises:
        SettingsError: a variable (or option) holds a value of the wrong kind or range.
    """
    try:
        return Settings(**given)
    except ValidationError as exc:
        raise SettingsError.coded("setting.invalid", problems=_describe(exc)) from None
    except pydantic_settings.SettingsError as exc:  # a list variable that is not JSON
        field = re.search(r'field "(\w+)"', str(exc))
        name = f"{PREFIX}{field[1].upper()}" if field else Phrase.of("setting.some_variable")
        raise SettingsError.coded("setting.not_json_list", name=name) from None


def _describe(exc: ValidationError) -> list[Phrase]:
    """One clause per bad setting: the variable, what it holds, what it takes (pydantic's
    words, in English)."""
    problems = []
    for error in exc.errors():
        name = f"{PREFIX}{str(error['loc'][0]).upper()}"
        expected = error["msg"].removeprefix("Value error, ").removeprefix("Input should be ")
        held = repr(error.get("input"))
        problems.append(Phrase.of("setting.value", name=name, held=held, expected=expected))
    return problems


def files_folder(settings: Settings) -> Path:
    """Where evidence files are kept: the setting, else beside a SQLite ledger's file
    (``ledger.db`` keeps them in ``ledger-files/``), else ``~/.local/share/esgledger/files``."""
    if settings.files_dir:
        return Path(settings.files_dir)
    if settings.db.startswith("sqlite:///") and settings.db != "sqlite:///:memory:":
        database = Path(settings.db.removeprefix("sqlite:///"))
        return database.with_name(f"{database.stem}-files")
    return Path.home() / ".local" / "share" / "esgledger" / "files"


class NotConfigured(NotFoundError):
    """A file the request needs was never configured (as opposed to configured and absent)."""


def link_key(settings: Settings) -> bytes:
    """The key that signs survey and questionnaire links.

    Raises:
        SettingsError: none is set (a link signed with a made-up key would be forgeable
            by anyone who reads the source, or die with the process).
    """
    if not settings.link_key or len(settings.link_key) < 16:
        raise SettingsError(
            f"{PREFIX}LINK_KEY is not set (or shorter than 16 characters): it signs the "
            "links sent to stakeholders; set it to a long random secret, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`",
            code="link.no_key",
        )
    return settings.link_key.encode()


def targets_file(configured: Path | str | None) -> Path:
    """The targets file to judge: the one configured (setting or ``--targets``), never a default.

    Raises:
        NotConfigured: none is configured.
        NotFoundError: the configured path is not a file.
    """
    if not configured:
        raise NotConfigured.coded("database.targets_not_configured", prefix=PREFIX)
    path = Path(configured)
    if not path.is_file():
        raise NotFoundError.coded("database.no_targets", path=path, prefix=PREFIX)
    return path


def scenarios_folder(configured: Path | str | None) -> Path:
    """The folder of scenario files: the one configured, never a default.

    Raises:
        NotConfigured: none is configured.
    """
    if not configured:
        raise NotConfigured.coded("database.scenarios_not_configured", prefix=PREFIX)
    return Path(configured)

"""Settings from the environment or `.env`, checked once at start-up.

A wrong value must give the operator one clear line, never a traceback and never the
token itself: `load_settings` turns pydantic's errors into `SettingsError`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")


def _comma_list(value: object, pattern: str, message: str) -> object:
    """A comma-separated setting as a tuple of trimmed, upper-cased items each matching
    `pattern` ("2a" is Corse-du-Sud's "2A"); values that are not text pass through."""
    if not isinstance(value, str):
        return value
    parts = tuple(p.strip().upper() for p in value.split(",") if p.strip())
    if not all(re.fullmatch(pattern, p) for p in parts):
        raise ValueError(message)
    return parts


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line for the operator."""


class Settings(BaseSettings):
    """Every setting the operator can give; `.env.example` documents each one."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str | None = None
    telegram_timeout_seconds: float = Field(default=5, gt=0, le=120)
    database_path: Path = Path("data/counters.sqlite3")
    coordinator_ids: Annotated[tuple[int, ...], NoDecode] = ()
    default_language: str = "fr"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    conversation_timeout_minutes: float = Field(default=30, gt=0, le=24 * 60)
    concurrent_updates: int = Field(default=256, ge=1, le=4096)
    counter_flush_seconds: float = Field(default=300, ge=0, le=24 * 3600)
    counter_min_batch: int = Field(default=5, ge=1, le=1000)
    timezone: str = "Europe/Paris"
    locales_dir: Path = Path(__file__).resolve().parent.parent / "locales"
    directory_path: Path = Path("data/directory.json")
    directory_partner_types: Annotated[tuple[str, ...], NoDecode] = ("mjd", "cidf", "adil")
    directory_departements: Annotated[tuple[str, ...], NoDecode] = ("59",)
    directory_daily_sync: bool = False
    directory_api_url: str = (
        "https://api-lannuaire.service-public.gouv.fr/api/explore/v2.1/"
        "catalog/datasets/api-lannuaire-administration/records"
    )
    partners_path: Path = Path("config/partners.yaml")
    sources_path: Path = Path("config/sources.yaml")
    territory_epci: str = ""
    territory_communes: Annotated[tuple[str, ...], NoDecode] = ()
    stats_threshold: int = Field(default=11, ge=2, le=1000)
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_path: str = "/telegram"
    webhook_secret_token: SecretStr | None = None
    webhook_drop_pending_updates: bool = False

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _webhook_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not re.match(r"^https?://[^\s/]+(/[^\s]*)?$", value):
            raise ValueError("must be the public https URL Telegram posts to, without the path")
        return value.strip().rstrip("/")

    @field_validator("webhook_path")
    @classmethod
    def _webhook_path(cls, value: str) -> str:
        if not re.fullmatch(r"/[A-Za-z0-9_\-/]{0,200}", value):
            raise ValueError("must be a URL path such as /telegram")
        return value

    @field_validator("webhook_secret_token", mode="before")
    @classmethod
    def _secret(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value):
            return None
        if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
            raise ValueError("must be 1 to 256 characters among A-Z, a-z, 0-9, _ and -")
        return value

    @model_validator(mode="after")
    def _webhook_needs_a_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret_token is None:
            raise ValueError(
                "WEBHOOK_SECRET_TOKEN is required with WEBHOOK_URL (1 to 256 of A-Z a-z 0-9 _ -)"
            )
        return self

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not TOKEN_PATTERN.match(value.strip()):
            # Never echo the value: it may be a real token with a typo.
            raise ValueError("does not look like a bot token from @BotFather (digits:letters)")
        return value.strip()

    @field_validator("telegram_api_base_url", mode="before")
    @classmethod
    def _base_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not re.match(r"^https?://[^\s]+$", value.strip()):
            raise ValueError("must be an http(s) URL such as http://127.0.0.1:8081/bot")
        return value.strip()

    @field_validator("coordinator_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        parts = _comma_list(
            value, r"\d{1,20}", "must be Telegram user ids (numbers) separated by commas"
        )
        return tuple(int(p) for p in parts) if isinstance(parts, tuple) else parts

    @field_validator("directory_partner_types", mode="before")
    @classmethod
    def _types(cls, value: object) -> object:
        parts = _comma_list(
            value, r"[A-Z_]{2,40}", "must be DILA service types such as mjd,cidf,adil"
        )
        return tuple(p.lower() for p in parts) if isinstance(parts, tuple) else parts

    @field_validator("directory_departements", mode="before")
    @classmethod
    def _departements(cls, value: object) -> object:
        parts = _comma_list(value, r"\d{2}|2[AB]|97\d", "must be département codes such as 59,62")
        if parts == ():
            raise ValueError("must be département codes such as 59,62")
        return parts

    @field_validator("territory_communes", mode="before")
    @classmethod
    def _communes(cls, value: object) -> object:
        return _comma_list(
            value, r"\d[0-9AB]\d{3}", "must be INSEE commune codes such as 59606,59014"
        )

    @field_validator("territory_epci")
    @classmethod
    def _epci(cls, value: str) -> str:
        if value and not re.fullmatch(r"\d{9}", value.strip()):
            raise ValueError("must be the 9-digit SIREN of an EPCI, e.g. 245901160")
        return value.strip()

    @field_validator("default_language")
    @classmethod
    def _language(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z]{2,3}(_[A-Za-z]{2,8})?(@[a-z]+)?", value):
            raise ValueError("must be a language code such as fr or en")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("must be a time zone name such as Europe/Paris") from exc
        return value

    @property
    def token(self) -> str | None:
        """The bot token in clear, for the one place that hands it to Telegram."""
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    @property
    def webhook_mode(self) -> bool:
        """Updates come by webhook (WEBHOOK_URL set), else by long polling."""
        return self.webhook_url is not None

    @property
    def secret_token(self) -> str:
        """The webhook's secret, in clear, for setWebhook and the check of each request."""
        return self.webhook_secret_token.get_secret_value() if self.webhook_secret_token else ""

    @property
    def heartbeat_path(self) -> Path:
        """Touched at each poll; `python -m bot health` reads its age (no personal data)."""
        return self.database_path.parent / "heartbeat"

    @property
    def zone(self) -> ZoneInfo:
        """The zone that decides which month a count belongs to."""
        return ZoneInfo(self.timezone)


def load_settings(env_file: Path | None = Path(".env"), **overrides: Any) -> Settings:
    """Read the settings; raise `SettingsError` with one readable line on any problem."""
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        if not first["loc"]:  # a rule across settings names them in its message
            raise SettingsError(str(first["msg"]).removeprefix("Value error, ")) from None
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"{name}: {message}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f".env could not be read: {type(exc).__name__}") from None

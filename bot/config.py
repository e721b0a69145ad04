"""Settings: environment variables plus the optional ``hocvuso.toml`` for areas.

This is the only module that reads the environment. A wrong or missing setting raises
:class:`ConfigError` with one sentence a person can act on; the CLI prints it and exits.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from bot.quiet import QuietHours
    from scheduler.calendar import WeeklySlot

DEFAULT_DATABASE_URL = "sqlite:///./data/hocvuso.db"
TELEGRAM_TOKEN = re.compile(r"^\d{3,12}:[A-Za-z0-9_-]{30,64}$")
ZALO_TOKEN = re.compile(r"^\d{3,25}:[A-Za-z0-9_-]{3,128}$")


class ConfigError(Exception):
    """A setting is wrong; the message is one sentence for the operator."""


def parse_targets(text: str) -> dict[int, int]:
    """ "2025:80,2026:100" → {2025: 80, 2026: 100}."""
    targets = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        year, _sep, percent = part.partition(":")
        if not (year.isdigit() and percent.isdigit() and 0 < int(percent) <= 100):
            raise ValueError("must look like '2025:80,2026:100' (year:percent)")
        targets[int(year)] = int(percent)
    if not targets:
        raise ValueError("needs at least one year:percent")
    return targets


class Village(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=60)
    adults: int = Field(ge=0, description="Adult population, for the plan's targets.")
    households: int | None = Field(
        default=None, ge=0, description="Households, for the 'Gia đình số' count (optional)."
    )


class Commune(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=80)
    villages: list[Village] = Field(min_length=1)
    office_hours: str | None = Field(
        default=None,
        max_length=200,
        description="When the commune office receives people, for help nobody could give.",
    )
    office_address: str | None = Field(
        default=None, max_length=200, description="Where the commune office is."
    )


class AreasFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    communes: list[Commune] = Field(default_factory=list)


class Settings(BaseSettings):
    """Every setting, its environment variable and its help text (the README lists them)."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    telegram_bot_token: SecretStr | None = Field(
        default=None,
        alias="TELEGRAM_BOT_TOKEN",
        description="Token from @BotFather. Without any token the console channel starts.",
    )
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org",
        alias="TELEGRAM_API_BASE_URL",
        description="Bot API server; point it at a self-hosted server or a test fake.",
    )
    zalo_bot_token: SecretStr | None = Field(
        default=None,
        alias="ZALO_BOT_TOKEN",
        description="Token from Zalo Bot Creator (bot id:secret).",
    )
    zalo_api_base_url: str = Field(
        default="https://bot-api.zaloplatforms.com",
        alias="ZALO_API_BASE_URL",
        description="Zalo Bot API server; a test fake in the tests.",
    )
    image_base_url: str | None = Field(
        default=None,
        alias="HOCVUSO_IMAGE_BASE_URL",
        description="Public https URL where lessons/img/ is served; Zalo sends pictures by "
        "URL only, so without it Zalo lessons are text only.",
    )
    webhook_secret: SecretStr | None = Field(
        default=None,
        alias="HOCVUSO_WEBHOOK_SECRET",
        description="Secret the platforms send with each webhook call; set the same one for "
        "every process behind a load balancer (generated per run when unset).",
    )
    listen: str = Field(
        default="127.0.0.1:8080",
        alias="HOCVUSO_LISTEN",
        description="Address the webhook server listens on (behind nginx).",
    )
    dashboard: bool = Field(
        default=True,
        alias="HOCVUSO_DASHBOARD",
        description="Serve the web dashboard for commune staff and village heads (one-time "
        "links from /baocao); false turns it off.",
    )
    public_url: str | None = Field(
        default=None,
        alias="HOCVUSO_PUBLIC_URL",
        description="The address people open the dashboard at, such as https://hocvuso.example.vn; "
        "by default the --webhook address, else http://HOCVUSO_LISTEN.",
    )
    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        alias="HOCVUSO_DATABASE_URL",
        description="SQLAlchemy URL: sqlite:///path or postgresql+asyncpg://user@host/db.",
    )
    timezone: str = Field(
        default="Asia/Ho_Chi_Minh",
        alias="HOCVUSO_TIMEZONE",
        description="Time zone for every time a person sees.",
    )
    config_file: Path = Field(
        default=Path("hocvuso.toml"),
        alias="HOCVUSO_CONFIG",
        description="Optional TOML file with the communes and villages.",
    )
    lessons_dir: Path | None = Field(
        default=None,
        alias="HOCVUSO_LESSONS_DIR",
        description="Lesson folder; the one shipped with the package by default.",
    )
    weekly_slot: str = Field(
        default="mon 08:00",
        alias="HOCVUSO_WEEKLY_SLOT",
        description="When the weekly message goes out, local time: 'mon 08:00'.",
    )
    quiet_hours: str = Field(
        default="21:00-07:00",
        alias="HOCVUSO_QUIET_HOURS",
        description="Local hours with no pushes (they wait); 'off' only for tests.",
    )
    scheduler: bool = Field(
        default=True,
        alias="HOCVUSO_SCHEDULER",
        description="Run the scheduler in this process; false for extra delivery processes.",
    )
    telegram_send_rate: float = Field(
        default=25.0,
        gt=0,
        le=1000,
        alias="TELEGRAM_SEND_RATE",
        description="Sends per second on Telegram for the whole bot: replies first, then pushes.",
    )
    zalo_send_rate: float = Field(
        default=5.0,
        gt=0,
        le=1000,
        alias="ZALO_SEND_RATE",
        description="Sends per second on Zalo for the whole bot (Zalo publishes no limit).",
    )
    targets: str = Field(
        default="2025:80,2026:100",
        alias="HOCVUSO_TARGETS",
        description="The plan's targets: year:percent of adults who finished the core path.",
    )
    announce_daily_limit: int = Field(
        default=3,
        ge=1,
        le=50,
        alias="HOCVUSO_ANNOUNCE_DAILY_LIMIT",
        description="Announcements one village head may send per day.",
    )
    log_level: str = Field(
        default="INFO", alias="HOCVUSO_LOG_LEVEL", description="DEBUG, INFO, WARNING or ERROR."
    )

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip():
            return None
        if value is not None and not TELEGRAM_TOKEN.match(value.get_secret_value().strip()):
            raise ValueError("does not look like a bot token from @BotFather (digits:letters)")
        return value

    @field_validator("zalo_bot_token")
    @classmethod
    def _zalo_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip():
            return None
        if value is not None and not ZALO_TOKEN.match(value.get_secret_value().strip()):
            raise ValueError("does not look like a Zalo bot token (digits:letters)")
        return value

    @field_validator("telegram_api_base_url", "zalo_api_base_url", "image_base_url", "public_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/") if value else value

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite://", "sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("weekly_slot")
    @classmethod
    def _slot(cls, value: str) -> str:
        from scheduler.calendar import WeeklySlot

        return str(WeeklySlot.parse(value))

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, value: str) -> str:
        from bot.quiet import QuietHours

        return str(QuietHours.parse(value))

    @field_validator("targets")
    @classmethod
    def _targets(cls, value: str) -> str:
        parse_targets(value)
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{16,256}", value.get_secret_value()
        ):
            raise ValueError("must be 16-256 letters, digits, '_' or '-'")
        return value

    @field_validator("listen")
    @classmethod
    def _listen(cls, value: str) -> str:
        host, _sep, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("must look like 127.0.0.1:8080")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def target_map(self) -> dict[int, int]:
        return parse_targets(self.targets)

    @property
    def quiet(self) -> QuietHours:
        from bot.quiet import QuietHours

        return QuietHours.parse(self.quiet_hours)

    @property
    def slot(self) -> WeeklySlot:
        from scheduler.calendar import WeeklySlot

        return WeeklySlot.parse(self.weekly_slot)


def _first_error(exc: ValidationError, names: dict[str, str]) -> str:
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error["loc"]) or "?"
    message = error["msg"].removeprefix("Value error, ")
    return f"{names.get(field, field)}: {message}."


def load_settings(**overrides: object) -> Settings:
    """Read the environment (overrides win, for tests and the CLI)."""
    names = {name: field.alias or name for name, field in Settings.model_fields.items()}
    names |= {field.alias: field.alias for field in Settings.model_fields.values() if field.alias}
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigError(f"Setting {_first_error(exc, names)}") from None
    _check_config_file(settings.config_file, named="config_file" in settings.model_fields_set)
    return settings


def _check_config_file(path: Path, *, named: bool) -> None:
    """The areas file is optional, but one named on purpose must be there: silently running
    without the communes someone configured looks like lost villages."""
    if path.is_dir():
        raise ConfigError(
            f"HOCVUSO_CONFIG points at the folder {path}; name the TOML file in it, "
            f"such as {path / 'hocvuso.toml'}."
        )
    if named and not path.exists():
        raise ConfigError(
            f"HOCVUSO_CONFIG names {path}, which does not exist; fix the path, or unset "
            "HOCVUSO_CONFIG to use ./hocvuso.toml when there is one."
        )


def load_areas(path: Path) -> list[Commune] | None:
    """The communes and villages from the TOML file; None when there is no file (the areas
    already in the database then stay as they are)."""
    if not path.exists():
        return None
    _check_config_file(path, named=True)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        areas = AreasFile.model_validate(data)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}).") from None
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_first_error(exc, {})}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text.") from None
    except OSError as exc:
        raise ConfigError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    seen: set[str] = set()
    for commune in areas.communes:
        if commune.name in seen:
            raise ConfigError(f"{path}: commune {commune.name!r} is listed twice.")
        seen.add(commune.name)
        villages = [village.name for village in commune.villages]
        if len(set(villages)) != len(villages):
            raise ConfigError(f"{path}: a village is listed twice in {commune.name!r}.")
    return areas.communes

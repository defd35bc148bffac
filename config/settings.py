"""Runtime settings, read from the environment (or a `.env` file) by pydantic-settings.

Every setting is documented in the README; `tests/test_config.py` fails if one is not.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "sqlite:///data/dashboard.db"
# Counts from 1 up to (not including) this are withheld from the public summary unless the
# SMALL_NUMBER_THRESHOLD setting says otherwise; `metrics.suppression` uses it as its default.
DEFAULT_SMALL_NUMBER_THRESHOLD = 5


class Settings(BaseSettings):
    """The dashboard's settings. Names are the environment variables that set them."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=True)

    DATABASE_URL: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL of the store. Relative SQLite paths are taken from the "
        "project folder, and their folder is created.",
    )
    DEMO_SEED: int = Field(
        default=2027,
        description="Seed of the demonstration dataset loaded when the default SQLite store is "
        "empty at start-up (and the default of `manage.py demo --seed`).",
    )
    SMALL_NUMBER_THRESHOLD: int = Field(
        default=DEFAULT_SMALL_NUMBER_THRESHOLD,
        ge=1,
        description="The public summary withholds counts from 1 up to (not including) this "
        'number, and any figure that would let one be worked out (see "Public summary").',
    )
    BOUNDARY_FILE: str = Field(
        default="",
        description="Path of a GeoJSON file of district boundaries (lon/lat, with a property "
        "holding each district's ONS code). With it the Districts page draws a choropleth; "
        "without it, a tile map from `config/geography.toml`. Not shipped: the tests use "
        "`../shared/data/geo/lancashire_districts.geojson`.",
    )
    DASHBOARD_ACCOUNT: str = Field(
        default="",
        description="The account a command-line user acts as (or `manage.py --account NAME "
        "COMMAND`): "
        "its password is asked at the terminal, or read from the first line of standard input. "
        "Needed, with the password or a token, once the store has an admin account.",
    )
    DASHBOARD_TOKEN: str = Field(
        default="",
        description="A personal access token, made on the dashboard's *Your account* page: "
        "proves the command-line user is its account, without a password.",
    )
    DASHBOARD_TOKEN_FILE: str = Field(
        default="",
        description="A file whose first line is a personal access token (instead of "
        "`DASHBOARD_TOKEN`); keep it readable by its owner only (`chmod 600`).",
    )
    TOKEN_MAX_DAYS: int = Field(
        default=90,
        ge=1,
        description="The longest a personal access token may last, in days, from when it is made.",
    )
    DASHBOARD_REQUIRE_LOGIN: bool = Field(
        default=False,
        description="`true` (or `1`) asks everyone to sign in even while the store has no "
        "account (the open demonstration). From the store's first account on, sign-in is "
        "always required, whatever the data.",
    )
    SESSION_MINUTES: int = Field(
        default=60,
        ge=1,
        description="A signed-in dashboard session ends after this many minutes without use.",
    )
    SESSION_HOURS: int = Field(
        default=12,
        ge=1,
        description="A local account's session ends this many hours after sign-in, however "
        "much it is used (its cookie's lifetime too).",
    )
    SESSION_COOKIE_SECURE: bool = Field(
        default=True,
        description="The session cookie travels over HTTPS only (browsers also accept it from "
        "`localhost`/`127.0.0.1`). Turn off only for a server reached by plain HTTP, where a "
        "reload then asks for sign-in again.",
    )
    SIGNIN_ATTEMPTS: int = Field(
        default=5,
        ge=1,
        description="Failed sign-ins in a row with one name that cost nothing (five times as "
        "many from one address); each further failure delays the next attempt, 30 seconds "
        "and doubling.",
    )
    SIGNIN_LOCK_MINUTES: int = Field(
        default=15,
        ge=1,
        description="The longest delay after failed sign-ins (`manage.py user unlock NAME`, "
        "or the Accounts page, clears a name's delay sooner).",
    )
    CHROMIUM_PATH: str = Field(
        default="/usr/bin/chromium",
        description="The Chromium that draws the board pack's charts as images: plotly's "
        "kaleido drives it, and nothing is downloaded.",
    )
    SCORE_WORKERS: int = Field(
        default=0,
        ge=0,
        description="Processes that compute the stored scores after a change of data (`0`: "
        'one per CPU; see "Stored scores"); `1` computes them in the calling process.',
    )
    SQLITE_BUSY_TIMEOUT: float = Field(
        default=300,
        gt=0,
        description="Seconds a write to a SQLite store waits for another write to finish (a "
        'long load, say) before failing with "database is locked". Writes queue one behind '
        'the other; reads never wait (see "Many users at once").',
    )
    UPLOAD_ARCHIVE_MEMBERS: int = Field(
        default=10_000,
        ge=1,
        description="The most entries a `.zip` archive's directory may list; one with more is "
        "refused before anything is unpacked (a police.uk archive of every force for three "
        "years lists about 5,000).",
    )
    UPLOAD_ARCHIVE_UNPACKED_MB: int = Field(
        default=2048,
        ge=1,
        description="The most megabytes the files an archive would load (the force's street "
        "and outcomes files) may unpack to together, by the archive's directory and again "
        "while unpacking.",
    )
    UPLOAD_ARCHIVE_MEMBER_MB: int = Field(
        default=1024,
        ge=1,
        description="The most megabytes one file in an archive may unpack to: the most the "
        "temporary folder holds of an archive at once (its files are unpacked one at a time).",
    )
    UPLOAD_ARCHIVE_RATIO: int = Field(
        default=100,
        ge=1,
        description="A file in an archive that unpacks to more than this many times its packed "
        "size (and to more than 1 MB) is refused: a police.uk CSV packs about 5 to 10 times, "
        "a zip bomb hundreds of times.",
    )
    UPLOAD_XLSX_CELL_CHARS: int = Field(
        default=32_767,
        ge=1,
        description="The most characters an Excel cell (or shared string) may hold: Excel's own "
        "limit. A workbook with a longer one is refused while its XML is read, before openpyxl "
        "reads it.",
    )
    UPLOAD_XLSX_SHARED_STRINGS: int = Field(
        default=2_000_000,
        ge=1,
        description="The most shared strings (distinct texts) an Excel workbook may hold.",
    )
    UPLOAD_XLSX_SHARED_TEXT_MB: int = Field(
        default=128,
        ge=1,
        description="The most text, in millions of characters, an Excel workbook's shared "
        "strings may hold together (openpyxl keeps them all in memory).",
    )

    @property
    def is_default_store(self) -> bool:
        """True when the store is the embedded SQLite default."""
        return self.DATABASE_URL == DEFAULT_DATABASE_URL


@lru_cache
def get_settings() -> Settings:
    """The settings of this process (cached; tests clear the cache to change them)."""
    return Settings()

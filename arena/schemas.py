"""Bounds on what users write: one pydantic schema per kind of input file, and the
limits the engine relies on (word and time limits, tokens, temperatures, sample sizes).

A `ValidationError` becomes one line per problem: `file:line: field: what was expected`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from arena.literal import has_control

MAX_WORD_LIMIT = 5000  # a speech longer than this is no debate speech (and would stall a sim run)
MAX_TIME_LIMIT = 3 * 3600  # seconds a person may take for one speech
MAX_TOKENS = 200_000
MAX_STAGES = 100
MAX_ROUNDS = 100
MAX_SAMPLE = 10_000
MAX_NAME = 200
MAX_PERSONA = 4000
MAX_CONCURRENCY = 1024
MAX_TIMEOUT = 86_400.0  # seconds: a provider timeout of more than a day is a typo
MAX_JUDGE_REPEATS = 20  # runs of one judge in one debate: --judge-repeats N and --judge M*N alike
MAX_PANEL = 20  # judges named for one debate (--judge repeated or comma-separated, [defaults] judges)
MAX_PLAYERS = 1000  # players of one tournament
MAX_PLANNED_DEBATES = 100_000  # debates of one tournament's plan (checked from its sizes, before it is built)


def _printable(value: str) -> str:
    if has_control(value):
        raise ValueError("must not contain control characters (escape codes, NUL, …)")
    return value


def _http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")) or len(value) <= len("http://"):
        raise ValueError("must be an http:// or https:// URL, e.g. http://127.0.0.1:8080/v1")
    return value


Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME), AfterValidator(_printable)]
Text = Annotated[str, Field(max_length=MAX_PERSONA), AfterValidator(_printable)]
Url = Annotated[str, Field(max_length=2000), AfterValidator(_printable), AfterValidator(_http_url)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


class ModelSettingsSchema(Strict):
    """One [participant.NAME] or [judge.NAME] table of arena.toml."""

    model: Name
    api_base: Url | None = None
    temperature: Annotated[float, Field(ge=0.0, le=2.0)] | None = None
    max_tokens: Annotated[int, Field(ge=1, le=MAX_TOKENS)] | None = None
    persona: Text = ""
    # Requests in flight at once to this participant (or to its api_base, shared by every
    # participant and judge naming the same server): 1 for servers that serve one at a time.
    concurrency: Annotated[int, Field(ge=1, le=MAX_CONCURRENCY)] | None = None
    # Speeches of its own: copying from the prompt blocked while sampling, earlier speeches
    # shown as short claim lists (arena/debate/model_debater.py). None: on for local/ models.
    anti_copy: bool | None = None
    # Seconds one attempt may take, and a streamed answer may go quiet (arena/llm/timeouts.py).
    timeout: Annotated[float, Field(gt=0, le=MAX_TIMEOUT)] | None = None
    stall_timeout: Annotated[float, Field(gt=0, le=MAX_TIMEOUT)] | None = None


class StageSchema(Strict):
    """One [[stage]] table of a format file (`sees` is checked by the format loader)."""

    side: Literal["pro", "con"]
    name: Name | None = None
    kind: Literal["constructive", "rebuttal", "summary"] = "constructive"
    round: Annotated[int, Field(ge=1, le=MAX_ROUNDS)] | None = None
    sees: str | list[str] = "all"
    word_limit: Annotated[int, Field(ge=1, le=MAX_WORD_LIMIT)] = 250
    time_limit: Annotated[int, Field(ge=1, le=MAX_TIME_LIMIT)] = 300


class BattleSchema(BaseModel):
    """One FastChat battle; other fields are ignored."""

    model_config = ConfigDict(extra="ignore", strict=True, allow_inf_nan=False)

    model_a: Name
    model_b: Name
    winner: str
    tstamp: float | None = None


def problems(error: ValidationError, where: Callable[[tuple[Any, ...]], str] | str) -> list[str]:
    """One `where: field: message` line per error of `error`."""
    out = []
    for item in error.errors(include_url=False):
        loc = tuple(item.get("loc", ()))
        place = where(loc) if callable(where) else where
        field = ".".join(str(p) for p in loc) or "value"
        message = str(item.get("msg", "is invalid")).removeprefix("Value error, ")
        if item.get("type") == "extra_forbidden":
            message = "unknown setting"
        got = item.get("input")
        shown = (
            ""
            if item.get("type") in ("missing", "extra_forbidden") or isinstance(got, dict)
            else f", got {_short(got)}"
        )
        out.append(f"{place}: {field}: {message}{shown}")
    return out


def _short(value: Any) -> str:
    from arena.literal import literal
    from arena.redact import redact

    text = literal(redact(repr(value)))
    return text if len(text) <= 60 else text[:57] + "..."


def finite(value: float, option: str) -> float:
    if not math.isfinite(value):
        raise ValueError(f"{option} must be a finite number, got {value!r}")
    return value


def check_collection(name: str, option: str = "--collection") -> str:
    """A collection name as typed: non-empty, printable, at most MAX_NAME characters."""
    from arena.errors import UsageProblem

    name = name.strip()
    if not name:
        raise UsageProblem(f"{option} needs a name (e.g. {option} lmsys)")
    if has_control(name) or len(name) > MAX_NAME:
        raise UsageProblem(f"{option}: expected a name of at most {MAX_NAME} printable characters")
    return name


def judge_repeat(raw: str) -> tuple[str, int | None]:
    """A judge as written, `M` or `M*N` (N runs of M): (M, N), N None when not given.
    Raises ValueError saying what is wrong: no name, N not a whole number from 1 to
    MAX_JUDGE_REPEATS (the bound of --judge-repeats)."""
    name, star, times = raw.partition("*")
    name = name.strip()
    if not name:
        raise ValueError(f"judge {raw!r}: expected a judge model or name, e.g. openai/gpt-4o-mini or panel-a*3")
    if not star:
        return name, None
    times = times.strip()
    if not times.isascii() or not times.isdigit():
        raise ValueError(f"judge {raw!r}: the repeat after * must be a whole number from 1 to {MAX_JUDGE_REPEATS}")
    # compared as text first: a thousand-digit number is refused without being converted
    count = int(times) if len(times) <= 6 else MAX_JUDGE_REPEATS + 1
    if not 1 <= count <= MAX_JUDGE_REPEATS:
        raise ValueError(
            f"judge {raw!r}: {times if len(times) <= 12 else times[:12] + '…'} runs; "
            f"a judge runs 1 to {MAX_JUDGE_REPEATS} times per debate (as --judge-repeats)"
        )
    return name, count


def check_panel(judges: list[str] | tuple[str, ...]) -> None:
    """A panel of judges as written (`M` or `M*N` each): every one well formed, at most MAX_PANEL.
    Raises ValueError naming the first problem."""
    if len(judges) > MAX_PANEL:
        raise ValueError(f"{len(judges)} judges named; a debate has at most {MAX_PANEL} (use M*N to run one N times)")
    for raw in judges:
        judge_repeat(raw)

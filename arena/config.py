"""arena.toml: named participants and judges.

    [participant.cautious]
    model = "local/smollm2"
    temperature = 0.3
    persona = "a careful debater who leads with evidence"

    [judge.panel-a]
    model = "openai/gpt-4o-mini"

    [defaults]
    judges = ["panel-a"]
    stall_timeout = 60        # seconds a streamed answer may go quiet (also per participant)
    timeout = 120             # seconds one attempt may take (also per participant)

Looked up in the working directory, else the user's config directory; `--config FILE`
overrides. Keys never live here: they stay in the environment, as litellm expects.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from arena import toml_input
from arena.errors import UsageProblem
from arena.identity import model_participant_id, public_api_base

CONFIG_NAME = "arena.toml"
# What the call log keeps of each model call: the messages and the answer, or only
# stage, who, model, tokens, latency, cost, retries and error (`meta`), or nothing.
CALL_LOG_LEVELS = ("full", "meta", "off")
SETTING_KEYS = {
    "model",
    "api_base",
    "temperature",
    "max_tokens",
    "persona",
    "concurrency",
    "anti_copy",
    "timeout",
    "stall_timeout",
}
# Settings of [defaults] besides `judges`: the provider timeouts (arena/llm/timeouts.py).
DEFAULT_TIMEOUT_KEYS = ("timeout", "stall_timeout")
DEFAULT_KEYS = {"judges", "call_log", *DEFAULT_TIMEOUT_KEYS}  # what [defaults] holds
# An unknown setting with one of these in its name is most likely a key pasted into the file.
SECRET_HINTS = ("key", "token", "secret", "password", "passwd", "credential", "auth")


@dataclass(frozen=True)
class ModelSettings:
    """A model with the settings that change how it behaves."""

    model: str
    name: str = ""  # the arena.toml name, if any
    api_base: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    persona: str = ""
    concurrency: int | None = None  # calls in flight at once (see arena.llm.limits); not behaviour
    # Speeches of its own (copying blocked while sampling, earlier speeches shown as claim
    # lists); None: as the model's default, on for the embedded model (local/...) only.
    anti_copy: bool | None = None
    # Seconds one attempt may take, and a stream may go quiet (arena/llm/timeouts.py); None:
    # as [defaults] or the environment says. Conditions of a call, not behaviour: not in the id.
    timeout: float | None = None
    stall_timeout: float | None = None

    @property
    def participant_id(self) -> str:
        """Stable, and distinct whenever a behaviour-changing setting (api_base included) differs."""
        return model_participant_id(
            self.model, self.name, self.temperature, self.max_tokens, self.persona, self.api_base, self.anti_copy
        )

    @property
    def guards_copying(self) -> bool:
        """Whether this model's speeches are guarded against copying (see `anti_copy`)."""
        return self.model.startswith("local/") if self.anti_copy is None else self.anti_copy

    def as_dict(self) -> dict:
        """The settings as stored with the participant: the endpoint without credentials."""
        return {**asdict(self), "api_base": public_api_base(self.api_base)}


@dataclass
class Config:
    participants: dict[str, ModelSettings] = field(default_factory=dict)
    judges: dict[str, ModelSettings] = field(default_factory=dict)
    default_judges: list[str] = field(default_factory=list)
    path: Path | None = None
    timeout: float | None = None  # [defaults] timeout / stall_timeout (arena/llm/timeouts.py)
    stall_timeout: float | None = None
    call_log: str | None = None  # [defaults] call_log; None: not set (the store's default, full)


def config_path(explicit: str | None = None) -> Path | None:
    if explicit:
        path = Path(explicit)
        if not path.exists():
            raise UsageProblem(f"config file not found: {path}")
        if path.is_dir():
            raise UsageProblem(f"{path}: is a directory; --config expects an arena.toml file")
        return path
    local = Path.cwd() / CONFIG_NAME
    if local.exists():
        return local
    from platformdirs import user_config_dir

    user = Path(user_config_dir("arena")) / CONFIG_NAME
    return user if user.exists() else None


def load_config(explicit: str | None = None) -> Config:
    path = config_path(explicit or os.environ.get("ARENA_CONFIG"))
    if path is None:
        return Config()
    from arena.user_files import MAX_CONFIG_BYTES, read_user_text

    return parse_config(read_user_text(path, "arena.toml", MAX_CONFIG_BYTES), path)


def parse_config(text: str, path: Path) -> Config:
    try:
        data = toml_input.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageProblem(f"{path}: {exc}") from None
    lines = text.splitlines()
    config = Config(path=path)
    for section, target in (("participant", config.participants), ("judge", config.judges)):
        tables = data.pop(section, None) or {}
        if not isinstance(tables, dict):
            raise UsageProblem(
                f"{path}:{_line_of(lines, section)}: {section} must be written as "
                f"[{section}.NAME] tables, got {type(tables).__name__}"
            )
        for name, raw in tables.items():
            header = f"[{section}.{name}]"
            target[name] = _settings(name, raw, partial(_place, path, lines, header))
    defaults = data.pop("defaults", {}) or {}
    if not isinstance(defaults, dict):
        raise UsageProblem(
            f"{path}:{_line_of(lines, 'defaults')}: defaults must be a [defaults] table "
            f'(e.g. judges = ["panel-a"]), got {type(defaults).__name__}'
        )
    for key in defaults:
        if key not in DEFAULT_KEYS:
            import difflib

            close = difflib.get_close_matches(key, sorted(DEFAULT_KEYS), n=1)
            raise UsageProblem(
                f"{path}:{_key_line(lines, '[defaults]', key)}: unknown [defaults] key {key!r}"
                + (f" (did you mean {close[0]!r}?)" if close else "")
                + f"; [defaults] holds {', '.join(sorted(DEFAULT_KEYS))}"
            )
    judges = defaults.get("judges", [])
    where = f"{path}:{_key_line(lines, '[defaults]', 'judges')}"
    if not isinstance(judges, list) or not all(isinstance(j, str) for j in judges):
        raise UsageProblem(f"{where}: defaults.judges must be a list of names or models")
    from arena.schemas import check_panel, judge_repeat

    try:
        check_panel(judges)
    except ValueError as exc:
        raise UsageProblem(f"{where}: [defaults] judges: {exc}") from None
    for judge in judges:
        name = judge_repeat(judge)[0]
        _check_sim_model(name, f"{where}: [defaults] judges")
        if name not in config.judges and name not in config.participants and "/" not in name:
            defined = ", ".join(sorted(config.judges)) or "none"
            raise UsageProblem(
                f"{where}: [defaults] judges names {name!r}, which no "
                f"[judge.{name}] table defines (judges defined: {defined}); add the table or "
                "name a model such as openai/gpt-4o-mini"
            )
    config.default_judges = judges
    for key in DEFAULT_TIMEOUT_KEYS:
        if key in defaults:
            from arena.llm.timeouts import parse_seconds

            setattr(
                config,
                key,
                parse_seconds(defaults[key], f"{path}:{_key_line(lines, '[defaults]', key)}: [defaults] {key}"),
            )
    if "call_log" in defaults:
        level = defaults["call_log"]
        if level not in CALL_LOG_LEVELS:
            raise UsageProblem(
                f"{path}:{_key_line(lines, '[defaults]', 'call_log')}: [defaults] call_log must be one of "
                f"{', '.join(CALL_LOG_LEVELS)}, got {level!r}"
            )
        config.call_log = level
    if data:
        key = next(iter(data))
        raise UsageProblem(
            f"{path}:{_line_of(lines, f'[{key}') if f'[{key}' in text else _line_of(lines, key)}: "
            f"unknown section {key!r}; expected [participant.NAME], "
            "[judge.NAME] or [defaults]"
        )
    return config


def call_log_level(option: str | None = None, configured: str | None = None) -> str:
    """The call log's level: the option (`--call-log`), else ARENA_CALL_LOG, else arena.toml's
    (`configured`), else full."""
    level = option or os.environ.get("ARENA_CALL_LOG") or configured or "full"
    if level not in CALL_LOG_LEVELS:
        raise UsageProblem(f"call log setting {level!r}: expected one of {', '.join(CALL_LOG_LEVELS)}")
    return level


def _settings(name: str, raw: object, place: Callable[[str | None], str]) -> ModelSettings:
    """`place(key)` is `file:line` of that key in the participant's table (of the table's
    header for None), so an error points at the line to change."""
    from pydantic import ValidationError

    from arena.literal import has_control
    from arena.schemas import ModelSettingsSchema, problems

    where = place(None)
    if has_control(name) or not name.strip():
        raise UsageProblem(
            f"{where}: a participant or judge name must be printable (no control or bidi characters), and not empty"
        )
    if not isinstance(raw, dict):
        raise UsageProblem(f"{where}: expected a table of settings for {name!r}")
    import difflib

    for key in raw:
        typo = difflib.get_close_matches(key, sorted(SETTING_KEYS), n=1, cutoff=0.8)  # maxtokens: not a secret
        if key not in SETTING_KEYS and not typo and any(h in key.lower() for h in SECRET_HINTS):
            raise UsageProblem(
                f"{place(key)}: {key!r} looks like a secret; keys belong in the environment "
                "(e.g. OPENAI_API_KEY), never in arena.toml"
            )
    unknown = set(raw) - SETTING_KEYS
    if unknown:
        named = []
        for key in sorted(unknown):
            close = difflib.get_close_matches(key, sorted(SETTING_KEYS), n=1)
            named.append(f"{key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise UsageProblem(
            f"{place(sorted(unknown)[0])}: unknown setting {', '.join(named)}; the settings are {', '.join(sorted(SETTING_KEYS))}"
        )
    if not isinstance(raw.get("model"), str) or not raw["model"]:
        raise UsageProblem(f'{place("model")}: {name!r} needs model = "provider/model"')
    try:
        checked = ModelSettingsSchema.model_validate(raw)
    except ValidationError as exc:

        def located(loc: tuple[object, ...]) -> str:
            return f"{place(str(loc[0]) if loc else None)}: {name}"

        raise UsageProblem("\n".join(problems(exc, located))) from None
    _check_sim_model(checked.model, f"{place('model')}: {name}")
    from arena.redact import remember_url

    remember_url(checked.api_base)  # its user-info and ?key= are secrets wherever they turn up
    return ModelSettings(
        model=checked.model,
        name=name,
        api_base=checked.api_base,
        temperature=float(checked.temperature) if checked.temperature is not None else None,
        max_tokens=checked.max_tokens,
        persona=checked.persona,
        concurrency=checked.concurrency,
        anti_copy=checked.anti_copy,
        timeout=checked.timeout,
        stall_timeout=checked.stall_timeout,
    )


def _check_sim_model(model: str, where: str) -> None:
    """A simulator model's options checked where the file names it, as `--pro sim/...`
    checks them on the command line (the same message, with the file and line)."""
    if model.startswith("sim/"):
        from arena.llm.simulator import parse_sim_model

        try:
            parse_sim_model(model)
        except ValueError as exc:
            raise UsageProblem(f"{where}: {exc}") from None


def _place(path: Path, lines: list[str], header: str, key: str | None) -> str:
    """`file:line` of `key` in the table `header` opens (the header's own for None)."""
    return f"{path}:{_key_line(lines, header, key)}"


def _key_line(lines: list[str], header: str, key: str | None) -> int:
    """The line of `key = …` inside the table that `header` opens (the header's line when
    the key is not written there, e.g. a missing one)."""
    start = _line_of(lines, header)
    if key is None:
        return start
    pattern = re.compile(rf"""^(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=""")
    for number in range(start + 1, len(lines) + 1):
        text = lines[number - 1].strip()
        if text.startswith("["):
            break
        if pattern.match(text):
            return number
    return start


def _line_of(lines: list[str], needle: str) -> int:
    for i, line in enumerate(lines, start=1):
        if line.strip().startswith(needle):
            return i
    return 1

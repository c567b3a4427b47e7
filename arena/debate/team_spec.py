"""What an agent team is made of, read from its participant name or a TOML definition.

Participant names (the grammar; spaces are not allowed):

    team:KIND[-noROLE...]@MODEL[+ROLE=MODEL...]
    team:NAME            a definition in ./teams/NAME.toml
    team:PATH.toml       a definition file anywhere

    KIND     a4d (Agent4Debate: searcher, analyzer, writer, reviewer)
    -noROLE  an ablation: -nosearcher, -noanalyzer, -noreviewer (the writer stays)
    MODEL    any model or arena.toml name the arena accepts (local/smollm2, sim/x, ...)
    +ROLE=M  one role on another model; `--role-model ROLE=M` does the same for every
             team in the command (and wins over the name)

Examples: `team:a4d@local/smollm2`, `team:a4d-noreviewer@sim/x`,
`team:a4d@local/smollm2+writer=openai/gpt-4o`.

The participant id is the canonical spelling of the same grammar: ablations in the
order searcher, analyzer, reviewer; role overrides in the order searcher, analyzer,
writer, reviewer, left out when they equal the team's model or name a removed role; a
model that carries arena.toml settings appears as in its own id
(`local/smollm2~cautious-1a2b3c`). Settings a definition file may change beyond that
(bounds, documents, web search) add `~NAME-DIGEST`, as personas do for single models.
So every team that behaves differently is rated separately, and the same team always
gets the same id.

A definition file:

    kind = "a4d"
    model = "local/smollm2"
    ablate = ["reviewer"]          # roles to leave out
    max_revisions = 2              # Reviewer -> Writer rounds per speech
    max_searches = 2               # Searcher runs per speech
    evidence_dir = "docs/"         # more documents for the offline index (relative to the file)
    web_search = "tavily"          # or "package.module:factory"; the key stays in the environment

    [roles]
    writer = "openai/gpt-4o"
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict, Unpack

from arena import toml_input
from arena.config import Config, ModelSettings
from arena.debate.model_names import model_settings
from arena.errors import UsageProblem

ROLES = ("searcher", "analyzer", "writer", "reviewer")
OPTIONAL_ROLES = ("searcher", "analyzer", "reviewer")
KINDS = ("a4d",)
DEFAULT_MAX_REVISIONS = 2
DEFAULT_MAX_SEARCHES = 2
TEAMS_DIR = "teams"
FILE_KEYS = {"kind", "model", "ablate", "max_revisions", "max_searches", "evidence_dir", "web_search", "roles"}
GRAMMAR_HINT = (
    "expected team:KIND[-noROLE...]@MODEL[+ROLE=MODEL...] (e.g. team:a4d@local/smollm2, "
    "team:a4d-noreviewer@sim/x, team:a4d@local/smollm2+writer=openai/gpt-4o), "
    "team:NAME for teams/NAME.toml, or team:PATH.toml"
)


@dataclass(frozen=True)
class TeamSpec:
    """A team's make-up: which roles play, on which models, within which bounds."""

    kind: str
    base: ModelSettings
    roles: dict[str, ModelSettings]  # every playing role -> its model
    ablated: frozenset[str] = frozenset()
    max_revisions: int = DEFAULT_MAX_REVISIONS
    max_searches: int = DEFAULT_MAX_SEARCHES
    evidence_dir: str | None = None
    web_search: str | None = None
    name: str = ""  # the definition's name, if it came from a file

    def plays(self, role: str) -> bool:
        return role in self.roles

    @property
    def participant_id(self) -> str:
        head = self.kind + "".join(f"-no{r}" for r in OPTIONAL_ROLES if r in self.ablated)
        base = model_key(self.base)
        overrides = "".join(f"+{role}={model_key(s)}" for role, s in self.roles.items() if model_key(s) != base)
        ident = f"team:{head}@{base}{overrides}"
        extras = self._extras()
        if extras:
            digest = hashlib.sha256(json.dumps(extras, sort_keys=True).encode()).hexdigest()[:6]
            ident += f"~{self.name or 'custom'}-{digest}"
        return ident

    def _extras(self) -> dict[str, object]:
        """Settings that change behaviour and are not spelled in the id's grammar."""
        extras: dict[str, object] = {}
        if self.max_revisions != DEFAULT_MAX_REVISIONS:
            extras["max_revisions"] = self.max_revisions
        if self.max_searches != DEFAULT_MAX_SEARCHES:
            extras["max_searches"] = self.max_searches
        if self.evidence_dir:
            extras["evidence_dir"] = self.evidence_dir
        if self.web_search:
            extras["web_search"] = self.web_search
        return extras

    def as_dict(self) -> dict[str, object]:
        """What the store keeps as the participant's settings."""
        return {
            "kind": self.kind,
            "model": self.base.model,
            "roles": {role: s.model for role, s in self.roles.items()},
            "ablated": sorted(self.ablated),
            "max_revisions": self.max_revisions,
            "max_searches": self.max_searches,
            "evidence_dir": self.evidence_dir,
            "web_search": self.web_search,
        }


def model_key(settings: ModelSettings) -> str:
    return settings.participant_id.removeprefix("model:")


# --------------------------------------------------------------------------- parsing


def parse_team(name: str, config: Config, role_models: dict[str, str] | None = None) -> TeamSpec:
    """A `team:...` participant name (and any --role-model overrides) as a TeamSpec."""
    body = name.removeprefix("team:").strip()
    if not body or any(ch.isspace() for ch in body):
        raise UsageProblem(f"bad team {name!r}: {GRAMMAR_HINT}")
    if "@" not in body:
        return _from_file(_definition_path(body, name), config, role_models or {})
    head, _, tail = body.partition("@")
    kind, *ablations = head.split("-")
    _check_kind(kind, name)
    ablated = set()
    for item in ablations:
        role = item.removeprefix("no")
        if not item.startswith("no") or role not in OPTIONAL_ROLES:
            raise UsageProblem(
                f"bad team {name!r}: unknown ablation {'-' + item!r}; expected "
                + ", ".join(f"-no{r}" for r in OPTIONAL_ROLES)
            )
        ablated.add(role)
    base, *overrides = tail.split("+")
    if not base:
        raise UsageProblem(f"bad team {name!r}: the team's model is missing after '@'; {GRAMMAR_HINT}")
    roles: dict[str, str] = {}
    for item in overrides:
        role, sep, model = item.partition("=")
        if not sep or not model:
            raise UsageProblem(f"bad team {name!r}: {'+' + item!r} should be +ROLE=MODEL; {GRAMMAR_HINT}")
        roles[_check_role(role, name)] = model
    return assemble(kind, base, {**roles, **_checked(role_models or {}, "--role-model")}, ablated, config)


class TeamOptions(TypedDict, total=False):
    """The settings a team definition file may add to its make-up (see `TeamSpec`)."""

    name: str
    max_revisions: int
    max_searches: int
    evidence_dir: str
    web_search: str


def _small_count(data: dict[str, Any], key: str, path: Path) -> int | None:
    """A whole number from 0 to 10 under `key`, or None when the file does not set it."""
    if key not in data:
        return None
    value = data[key]
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
        raise UsageProblem(f"{path}: {key} must be a whole number from 0 to 10")
    return value


def assemble(
    kind: str, base: str, role_models: dict[str, str], ablated: set[str], config: Config, **options: Unpack[TeamOptions]
) -> TeamSpec:
    base_settings = model_settings(base, config)
    roles = {
        role: model_settings(role_models[role], config) if role in role_models else base_settings
        for role in ROLES
        if role not in ablated
    }
    return TeamSpec(kind=kind, base=base_settings, roles=roles, ablated=frozenset(ablated), **options)


def _check_kind(kind: str, name: str) -> None:
    if kind not in KINDS:
        raise UsageProblem(f"bad team {name!r}: unknown team kind {kind!r}; expected one of {', '.join(KINDS)}")


def _check_role(role: str, where: str) -> str:
    role = role.strip().lower()
    if role not in ROLES:
        raise UsageProblem(f"{where}: unknown team role {role!r}; expected one of {', '.join(ROLES)}")
    return role


def _checked(role_models: dict[str, str], where: str) -> dict[str, str]:
    return {_check_role(role, where): model for role, model in role_models.items()}


def _definition_path(body: str, name: str) -> Path:
    if body.endswith(".toml") or "/" in body or "\\" in body:
        path = Path(body)
    else:
        path = Path.cwd() / TEAMS_DIR / f"{body}.toml"
    if not path.exists():  # anything else that is not a regular file: the reader says what it is
        raise UsageProblem(f"bad team {name!r}: no team definition at {path}; {GRAMMAR_HINT}")
    return path


def _from_file(path: Path, config: Config, role_models: dict[str, str]) -> TeamSpec:
    from arena.user_files import MAX_TEAM_BYTES, read_user_text

    text = read_user_text(path, "team definition", MAX_TEAM_BYTES)
    try:
        data = toml_input.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageProblem(f"{path}: {exc}") from None
    unknown = set(data) - FILE_KEYS
    if unknown:
        raise UsageProblem(f"{path}: unknown key(s) {sorted(unknown)}; expected some of {sorted(FILE_KEYS)}")
    kind = data.get("kind", "a4d")
    _check_kind(kind, str(path))
    if not isinstance(data.get("model"), str) or not data["model"]:
        raise UsageProblem(f'{path}: a team needs model = "provider/model"')
    ablate = data.get("ablate", [])
    if not isinstance(ablate, list) or any(r not in OPTIONAL_ROLES for r in ablate):
        raise UsageProblem(f"{path}: ablate must be a list of roles from {', '.join(OPTIONAL_ROLES)}")
    roles = data.get("roles", {})
    if not isinstance(roles, dict) or not all(isinstance(m, str) and m for m in roles.values()):
        raise UsageProblem(f'{path}: [roles] maps a role to a model, e.g. writer = "openai/gpt-4o"')
    options: TeamOptions = {"name": path.stem}
    revisions, searches = _small_count(data, "max_revisions", path), _small_count(data, "max_searches", path)
    if revisions is not None:
        options["max_revisions"] = revisions
    if searches is not None:
        options["max_searches"] = searches
    if data.get("evidence_dir"):
        folder = (path.parent / str(data["evidence_dir"])).resolve()
        if not folder.is_dir():
            raise UsageProblem(f"{path}: evidence_dir {folder} is not a folder")
        options["evidence_dir"] = str(folder)
    if data.get("web_search"):
        options["web_search"] = str(data["web_search"])
    merged = {**_checked(roles, str(path)), **_checked(role_models, "--role-model")}
    return assemble(kind, data["model"], merged, set(ablate), config, **options)

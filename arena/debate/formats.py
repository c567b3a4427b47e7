"""Debate formats: the ordered stages of a debate and who sees which earlier speech.

Presets (`a4d`, `ovc`, `quick`) ship as TOML beside the package; a user format is a TOML
file of the same shape, named by path (`--format my_format.toml`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from arena import toml_input
from arena.errors import UsageProblem
from arena.literal import literal
from arena.schemas import MAX_STAGES, StageSchema
from arena.schemas import problems as schema_problems

PRESET_DIR = Path(__file__).resolve().parent.parent / "formats"
SIDES = ("pro", "con")
KINDS = ("constructive", "rebuttal", "summary")
SEES = ("all", "earlier_rounds")

Sees = Literal["all", "earlier_rounds"] | tuple[int, ...]


@dataclass(frozen=True)
class Stage:
    index: int
    name: str  # "opening", "rebuttal", "closing", "constructive", "summary" ...
    side: Literal["pro", "con"]
    kind: str
    round: int
    # "all": every earlier speech; "earlier_rounds": speeches of earlier rounds only
    # (blind or simultaneous speaking); a tuple: exactly these earlier stage indexes.
    sees: Sees
    word_limit: int
    time_limit: int  # seconds, for people

    @property
    def label(self) -> str:
        return f"{'Proposition' if self.side == 'pro' else 'Opposition'} {self.name}"

    def can_see(self, earlier: Stage) -> bool:
        if earlier.index >= self.index:
            return False
        if self.sees == "all":
            return True
        if self.sees == "earlier_rounds":
            return earlier.round < self.round
        return earlier.index in self.sees


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    stages: tuple[Stage, ...]
    # After each round the judges are asked whether the debate is decided; a majority
    # "yes" ends it early with their verdict (Multi-Agent Debate's adaptive break).
    adaptive_break: bool = False

    @property
    def rounds(self) -> list[int]:
        return sorted({s.round for s in self.stages})

    def last_stage_of_round(self, round_no: int) -> int:
        return max(s.index for s in self.stages if s.round == round_no)


def preset_names() -> list[str]:
    return sorted(p.stem for p in PRESET_DIR.glob("*.toml"))


def load_format(name_or_path: str) -> Format:
    """A preset by name, or a user format from a TOML file."""
    path = PRESET_DIR / f"{name_or_path}.toml"
    if not path.exists():
        path = Path(name_or_path)
        if not path.exists():
            raise UsageProblem(
                f"unknown format {name_or_path!r}: expected one of {', '.join(preset_names())} "
                "or the path of a format TOML file"
            )
    from arena.user_files import MAX_FORMAT_BYTES, read_user_text

    return parse_format(read_user_text(path, "format file", MAX_FORMAT_BYTES), str(path))


def parse_format(text: str, where: str = "<format>") -> Format:
    try:
        data = toml_input.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageProblem(f"{where}: {exc}") from None
    header_lines = [i + 1 for i, line in enumerate(text.splitlines()) if line.strip() == "[[stage]]"]
    raw_stages = data.get("stage")
    if not isinstance(raw_stages, list) or not raw_stages or not all(isinstance(s, dict) for s in raw_stages):
        raise UsageProblem(f"{where}: expected [[stage]] tables (at least one), each with side, kind, round, ...")
    if len(raw_stages) > MAX_STAGES:
        raise UsageProblem(f"{where}: {len(raw_stages)} stages; a format has at most {MAX_STAGES}")
    unknown = set(data) - {"name", "description", "adaptive_break", "stage"}
    if unknown:
        raise UsageProblem(
            f"{where}: unknown top-level key(s) {sorted(unknown)}; expected name, description, adaptive_break "
            "and [[stage]] tables"
        )
    for key in ("name", "description"):
        if key in data and not isinstance(data[key], str):
            raise UsageProblem(f"{where}: {key} must be a string, got {data[key]!r}")
    names: dict[tuple[str, str], int] = {}
    stages: list[Stage] = []
    for i, raw in enumerate(raw_stages):
        line = header_lines[i] if i < len(header_lines) else 0
        stages.append(_parse_stage(i, raw, f"{where}:{line}", names))
        names[(stages[-1].side, stages[-1].name)] = i
    sides = {s.side for s in stages}
    if sides != set(SIDES):
        raise UsageProblem(f"{where}: a format needs speeches by both sides, found only {sorted(sides)}")
    adaptive = data.get("adaptive_break", False)
    if not isinstance(adaptive, bool):
        raise UsageProblem(f"{where}: adaptive_break must be true or false, got {adaptive!r}")
    return Format(
        name=literal(str(data.get("name") or Path(where).stem)),
        description=str(data.get("description", "")),
        stages=tuple(stages),
        adaptive_break=adaptive,
    )


def _parse_stage(index: int, raw: dict[str, Any], where: str, earlier: dict[tuple[str, str], int]) -> Stage:
    allowed = {"name", "side", "kind", "round", "sees", "word_limit", "time_limit"}
    unknown = set(raw) - allowed
    if unknown:
        raise UsageProblem(f"{where}: unknown key(s) {sorted(unknown)}; expected some of {sorted(allowed)}")
    side = raw.get("side")
    if side not in SIDES:
        raise UsageProblem(f"{where}: side must be 'pro' or 'con', got {side!r}")
    kind = raw.get("kind", "constructive")
    if kind not in KINDS:
        raise UsageProblem(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    try:
        StageSchema.model_validate(raw)
    except ValidationError as exc:
        raise UsageProblem("\n".join(schema_problems(exc, where))) from None
    sees_raw = raw.get("sees", "all")
    sees: Sees
    if sees_raw == "all" or sees_raw == "earlier_rounds":
        sees = sees_raw
    elif isinstance(sees_raw, list):
        # a list of earlier stages as "side name" strings, e.g. ["pro opening"]
        idx = []
        for ref in sees_raw:
            if not isinstance(ref, str):
                raise UsageProblem(f"{where}: sees {ref!r} names no earlier stage ('pro opening' style)")
            parts = ref.split(maxsplit=1)
            stage_key = (parts[0], parts[1]) if len(parts) == 2 else ("", "")
            if stage_key not in earlier:
                raise UsageProblem(f"{where}: sees {ref!r} names no earlier stage ('pro opening' style)")
            idx.append(earlier[stage_key])
        sees = tuple(idx)
    else:
        raise UsageProblem(f"{where}: sees must be 'all', 'earlier_rounds' or a list of earlier stages")
    for key in ("round", "word_limit", "time_limit"):
        if key in raw and (not isinstance(raw[key], int) or raw[key] <= 0):
            raise UsageProblem(f"{where}: {key} must be a positive whole number, got {raw[key]!r}")
    return Stage(
        index=index,
        name=literal(str(raw.get("name", kind))),
        side=side,
        kind=kind,
        round=int(raw.get("round", index // 2 + 1)),
        sees=sees,
        word_limit=int(raw.get("word_limit", 250)),
        time_limit=int(raw.get("time_limit", 300)),
    )

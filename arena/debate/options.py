"""A debate's options: one frozen value, from the front ends to the store.

`DebateOptions` is what a user chooses for a debate (not who debates, nor on which
motion): the format, the judges, the bet condition, the protocol... The CLI's options
(`arena debate`, `arena tournament run`: `commands/debate_options.py`), the app's form
and a tournament's spec build one; `play.prepare` carries it whole into the engine's
setup, the engine into the record, the store keeps it (`store/debate_row.py`) and the
JSON document shows it. Each field says how the command line spells it (`Flag`), so a
new debate-level option is a field here and the code that uses it (ARCHITECTURE.md).

The enumerations are defined here once, as Literal types with their tuples of values."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal, get_args

from arena.schemas import MAX_JUDGE_REPEATS

Protocol = Literal["debate", "consultancy", "direct"]
PROTOCOLS: tuple[Protocol, ...] = get_args(Protocol)

# A debate is started under one of these; imported studies bring the others.
ArenaCondition = Literal["private", "public", "self", "informed"]
CONDITIONS: tuple[ArenaCondition, ...] = get_args(ArenaCondition)
StudyCondition = Literal["cross-model", "red-team", "deceptive"]
BetCondition = Literal[ArenaCondition, StudyCondition]
ALL_CONDITIONS: tuple[BetCondition, ...] = (*CONDITIONS, *get_args(StudyCondition))

# A ballot whose winner contradicts its own dimension scores: keep it (flagged), ask
# again (void if it stays inconsistent), or void it at once.
InconsistentPolicy = Literal["keep", "reask", "void"]
INCONSISTENT_POLICIES: tuple[InconsistentPolicy, ...] = get_args(InconsistentPolicy)

# The largest seed a user may give (every `--seed`): the arena draws its own seeds below it,
# so any seed it shows can be given back, and it fits a 32-bit database column.
MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class Flag:
    """How an option is spelled on the command line (built by commands/debate_options.py).

    `decls`: click's declarations, e.g. "--swap" or "--neutral-labels/--side-labels";
    `aliases`: older spellings still accepted, hidden from --help; the click type follows
    from the field's type (a Literal is a choice, bool a flag, a tuple a repeatable option),
    `choices` narrows a choice to those a user may start a debate with, and `low`/`high`
    bound a number."""

    decls: str
    help: str
    metavar: str | None = None
    choices: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None
    aliases: tuple[str, ...] = ()
    show_default: bool = True


def _option(default: Any, flag: Flag | None = None) -> Any:
    return field(default=default, metadata={"flag": flag})


@dataclass(frozen=True)
class DebateOptions:
    judges: tuple[str, ...] = _option(
        (),
        Flag(
            "--judge",
            "Judge model or name; repeat (or comma-separate) for a panel; M*3 runs it three times. "
            "Default: arena.toml's [defaults] judges, else sim/judge-1 when every debater is simulated, "
            "else the embedded model (local/smollm2: minutes per debate on 2 cores).",
            metavar="M",
        ),
    )  # empty: arena.toml's [defaults] judges, else the embedded model
    judge_repeats: int = _option(1, Flag("--judge-repeats", "Runs per judge.", low=1, high=MAX_JUDGE_REPEATS))
    format: str = _option("quick", Flag("--format", "a4d, ovc, quick, or a format TOML file."))
    seed: int | None = _option(
        None, Flag("--seed", "Seed for the motion draw and sampling (reproducible runs).", low=0, high=MAX_SEED)
    )
    condition: BetCondition = _option("private", Flag("--condition", "Bet condition.", choices=CONDITIONS))
    swap: bool = _option(False, Flag("--swap", "Every judge also decides with the speech order swapped."))
    protocol: Protocol = _option(
        "debate",
        Flag("--protocol", "consultancy: one side (drawn at random) argues alone; direct: no speeches. Not rated."),
    )
    inconsistent: InconsistentPolicy = _option(
        "keep",
        Flag(
            "--inconsistent-ballots",
            "A ballot whose winner contradicts its own scores: keep it flagged, ask again, or void it.",
            aliases=("--inconsistent",),
        ),
    )
    neutral_labels: bool | None = _option(
        None,
        Flag(
            "--neutral-labels/--side-labels",
            "Judges see the sides under random neutral names, or as Proposition/Opposition "
            "[default: neutral for local/smollm2, whose audit shows a side bias].",
            show_default=False,
        ),
    )
    adaptive_break: bool | None = _option(
        None,
        Flag(
            "--adaptive-break",
            "After each round ask the judges whether it is decided; a majority ends it early.",
            show_default=False,
        ),
    )  # None: as the format says

    def __post_init__(self) -> None:
        object.__setattr__(self, "judges", tuple(self.judges))  # a list given is kept as a tuple

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON values, field by field (the judges as a list)."""
        return {f.name: list(v) if isinstance(v := getattr(self, f.name), tuple) else v for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DebateOptions:
        """The inverse of `as_dict`; keys it does not know (a newer arena's) are left out."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def option_fields() -> tuple[str, ...]:
    return tuple(f.name for f in fields(DebateOptions))

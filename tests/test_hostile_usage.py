"""Issue 26, class 5: user mistakes are usage errors everywhere (never "internal error"):
deeply nested TOML, a bad `sim/` option in arena.toml, non-finite floats, huge seeds, a
schema version that is no number; and a property test over the whole CLI with
ARENA_DEBUG set, so that any exception the guard would call internal surfaces."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import replace
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arena.cli import cli
from arena.commands.common import FiniteFloat
from arena.debate.options import MAX_SEED
from arena.debate.records import DebateRecord
from arena.guard import explain
from arena.store.queries import load_debate
from arena.toml_input import MAX_NESTING
from tests.test_record_roundtrip import records

NESTED = 3000


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no stray arena.toml from the checkout
    for name in ("ARENA_DB", "ARENA_CONFIG", "ARENA_MOTIONS", "ARENA_DEBUG"):
        monkeypatch.delenv(name, raising=False)


def invoke(tmp_path: Path, *args: str, env: dict | None = None):
    return CliRunner().invoke(cli, ["--db", str(tmp_path / "r.db"), *args], env=env)


def usage_error(tmp_path: Path, *args: str, env: dict | None = None) -> str:
    result = invoke(tmp_path, *args, env=env)
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert "internal error" not in result.output and "Traceback" not in result.output, result.output
    return result.output


def nested(kind: str) -> str:
    return "[" * NESTED + "]" * NESTED if kind == "array" else "{a=" * NESTED + "1" + "}" * NESTED


# ============================================================== deeply nested TOML


@pytest.mark.parametrize("kind", ["array", "inline table"])
def test_arena_toml_nested_thousands_deep_is_a_usage_error(tmp_path: Path, kind: str):
    (tmp_path / "arena.toml").write_text(f"[participant.x]\nmodel = 'sim/a'\npersona = {nested(kind)}\n")
    output = usage_error(tmp_path, "debate", "--pro", "x", "--con", "sim/b", "--judge", "sim/j")
    assert "arena.toml" in output and f"nested more than {MAX_NESTING} levels" in output
    assert "line 3" in output


def test_a_format_file_nested_thousands_deep_is_a_usage_error(tmp_path: Path):
    (tmp_path / "deep.toml").write_text(f"[[stage]]\nside = 'pro'\nsees = {nested('array')}\n")
    output = usage_error(
        tmp_path, "debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j", "--format", "deep.toml"
    )
    assert "deep.toml" in output and "nested more than" in output and "line 3" in output


def test_a_motion_file_nested_thousands_deep_is_a_usage_error(tmp_path: Path):
    (tmp_path / "motions").mkdir()
    (tmp_path / "motions" / "deep.toml").write_text(f"[[motion]]\nid = 'x'\ntext = {nested('inline table')}\n")
    output = usage_error(tmp_path, "motions", "list", env={"ARENA_MOTIONS": str(tmp_path / "motions")})
    assert "deep.toml:3" in output and "nested more than" in output


def test_nesting_a_stack_can_hold_is_refused_too(tmp_path: Path):
    """Forty levels parse, but would go on to the code that walks the result: refused the same way."""
    (tmp_path / "arena.toml").write_text("[participant.x]\nmodel = 'sim/a'\npersona = " + "[" * 40 + "]" * 40 + "\n")
    assert "nested more than" in usage_error(tmp_path, "debate", "--pro", "x", "--con", "sim/b", "--judge", "sim/j")


def test_dotted_keys_deeper_than_the_bound_are_refused(tmp_path: Path):
    (tmp_path / "arena.toml").write_text("[defaults]\n" + ".".join(["k"] * (MAX_NESTING + 5)) + " = 1\n")
    assert "nested more than" in usage_error(tmp_path, "debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j")


# ============================================================== bad sim/ options in arena.toml


def test_a_bad_sim_option_in_arena_toml_is_the_usage_error_of_the_command_line(tmp_path: Path):
    on_the_line = usage_error(tmp_path, "debate", "--pro", "sim/x?foo=1", "--con", "sim/b", "--judge", "sim/j")
    (tmp_path / "arena.toml").write_text("[participant.x]\nmodel = 'sim/x?foo=1'\n")
    in_the_file = usage_error(tmp_path, "debate", "--pro", "x", "--con", "sim/b", "--judge", "sim/j")
    message = "unknown simulator option 'foo' in 'sim/x?foo=1'"
    assert message in on_the_line and message in in_the_file
    assert "arena.toml:2: x:" in in_the_file  # the line of its model = …


def test_a_bad_sim_judge_in_the_defaults_is_a_usage_error(tmp_path: Path):
    (tmp_path / "arena.toml").write_text("[defaults]\njudges = ['sim/j?skill=7']\n")
    output = usage_error(tmp_path, "debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j")
    assert "arena.toml:2: [defaults] judges" in output and "'skill' must be within [0, 1]" in output


# ============================================================== numbers


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN", "1e999"])
def test_the_prior_must_be_finite(tmp_path: Path, value: str):
    assert "finite number" in usage_error(tmp_path, "leaderboard", "--prior", value)


def test_a_worker_refuses_a_lease_of_nan(tmp_path: Path):
    assert "finite number" in usage_error(tmp_path, "tournament", "work", "t", "--lease", "nan")


def test_judges_audit_refuses_a_huge_seed(tmp_path: Path):
    output = usage_error(tmp_path, "judges", "audit", "--judge", "sim/j", "--seed", "9" * 30)
    assert f"0<=x<={MAX_SEED}" in output
    assert (
        not (tmp_path / "r.db").exists()
        or not sqlite3.connect(tmp_path / "r.db")
        .execute("SELECT name FROM sqlite_master WHERE name = 'judge_probe'")
        .fetchone()
    )


def command_params() -> list[tuple[tuple[str, ...], click.Parameter]]:
    found: list[tuple[tuple[str, ...], click.Parameter]] = []

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
        else:
            found.extend((path, p) for p in command.params)

    walk(cli, ())
    return found


def test_every_float_option_is_finite_only_and_every_seed_bounded_alike():
    floats = [(path, p) for path, p in command_params() if isinstance(p.type, click.types.FloatParamType)]
    assert len(floats) >= 10
    assert [(path, p.name) for path, p in floats if not isinstance(p.type, FiniteFloat)] == []
    seeds = [p for _, p in command_params() if p.name == "seed"]
    assert len(seeds) >= 8
    assert all(isinstance(p.type, click.IntRange) and (p.type.min, p.type.max) == (0, MAX_SEED) for p in seeds)


def test_finite_float_refuses_what_float_accepts():
    number = FiniteFloat(0, 10)
    assert number.convert("2.5", None, None) == 2.5
    for bad in ("nan", "inf", "-Infinity", "1e400"):
        with pytest.raises(click.BadParameter, match="finite number"):
            number.convert(bad, None, None)
    with pytest.raises(click.BadParameter):
        number.convert("11", None, None)


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(record=records(), offset=st.integers(1, 10**7))
def test_a_seed_past_32_bits_is_stored_on_both_backends(store, record: DebateRecord, offset: int):
    """A study derives seeds from the user's (seed + offsets), which may pass MAX_SEED: the
    seed columns are BIGINT in a new database, PostgreSQL's included."""
    seed = MAX_SEED + offset
    record = replace(record, id=uuid.uuid4().hex[:12], seed=seed, options=replace(record.options, seed=seed))
    store.save_debate(record)
    assert load_debate(store, record.id).seed == seed


# ============================================================== the database


def test_a_schema_version_that_is_no_number_is_a_clear_error(tmp_path: Path):
    assert invoke(tmp_path, "leaderboard").exit_code == 0
    with sqlite3.connect(tmp_path / "r.db") as conn:
        conn.execute("UPDATE schema_info SET version = 'abc'")
    for args in (("leaderboard",), ("show", "abc"), ("tournament", "list")):
        output = usage_error(tmp_path, *args)
        assert "r.db" in output and "schema version is 'abc', not a number" in output


# ============================================================== the CLI as a whole

# What a user may type that no option of its type accepts.
NOT_AN_INT = st.sampled_from(["nan", "inf", "1.5", "abc", "", "1e3", "0x10", "--", "٣.٣", "\x00", "9" * 400])
NOT_A_FLOAT = st.sampled_from(["nan", "-nan", "inf", "+inf", "-Infinity", "1e999", "abc", "", "1,5", "\x1b[2J"])


def invalid_values(param: click.Parameter) -> st.SearchStrategy[str]:
    kind = param.type
    if isinstance(kind, click.IntRange):
        outside = []
        if kind.min is not None:
            outside.append(st.integers(max_value=kind.min - 1))
        if kind.max is not None:
            outside.append(st.integers(min_value=kind.max + 1))
        return st.one_of(NOT_AN_INT, *(s.map(str) for s in outside))
    if isinstance(kind, click.types.FloatParamType):
        outside = []
        if getattr(kind, "min", None) is not None:
            outside.append(st.floats(max_value=kind.min, exclude_max=True, allow_nan=False, allow_infinity=False))
        if getattr(kind, "max", None) is not None:
            outside.append(st.floats(min_value=kind.max, exclude_min=True, allow_nan=False, allow_infinity=False))
        return st.one_of(NOT_A_FLOAT, *(s.map(repr) for s in outside))
    if isinstance(kind, click.Choice):
        return st.text(max_size=30).filter(
            lambda t: t.strip().casefold() not in {str(c).casefold() for c in kind.choices}
        )
    raise AssertionError(param)


# Required values that let a command reach its options (their own checks come later).
REQUIRED = {
    "pro": "sim/a",
    "con": "sim/b",
    "players": "sim/a,sim/b",
    "names": "sim/j",
    "collection": "c",
    "judges": "sim/j",
    "into": "again",
    "topic": "This house would test.",
    "members": "sim/a,sim/b",
    "human": "h",
    "simulated": "s",
    "debaters": "sim/a,sim/b",
}
REQUIRED_ARGS = {"name": "t", "debate_id": "abc", "motion_id": "m", "file": "b.json", "folder": "."}
TYPED = [
    (path, p)
    for path, p in command_params()
    if isinstance(p, click.Option) and isinstance(p.type, (click.IntRange, click.types.FloatParamType, click.Choice))
]
# Free text that reaches a command's code: ids and names looked up in an empty store.
LOOKUPS = [
    (("show",), "debate_id"),
    (("tournament", "show"), "name"),
    (("tournament", "resume"), "name"),
    (("motions", "show"), "motion_id"),
    (("leaderboard",), "--anchor"),
    (("leaderboard",), "--tournament"),
    (("leaderboard",), "--collection"),
]
FREE_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["%", "_" * 50, "*?[", "a" * 100_000, "%" * 5000, "\u202e", "\ud800", "'; DROP TABLE debate; --"]),
)


def base_args(path: tuple[str, ...], skip: str = "") -> list[str]:
    command = cli
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    args: list[str] = []
    for p in command.params:
        if p.required and p.name != skip:
            if isinstance(p, click.Argument):
                args.append(REQUIRED_ARGS[p.name])
            else:
                args += [p.opts[0], REQUIRED[p.name]]
    return args


def assert_no_internal_error(tmp_path: Path, args: list[str]) -> None:
    """With ARENA_DEBUG set the guard lets every exception through: one that escapes must be
    one the guard explains (exit 2, or 1 with a message), and every exit 0, 1 or 2."""
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "r.db"), *args], env={"ARENA_DEBUG": "1"})
    assert "internal error" not in result.output, (args[:6], result.output)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        message, status = explain(result.exception)
        assert not message.startswith("internal error"), (args[:6], message)
        assert status in (1, 2)
    else:
        assert result.exit_code in (0, 1, 2), (args[:6], result.exit_code, result.output)
        if result.exit_code == 1:
            assert "error" in result.output.lower(), result.output


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_an_invalid_option_value_is_never_an_internal_error(tmp_path_factory, data):
    tmp_path = tmp_path_factory.mktemp("cli")
    path, param = data.draw(st.sampled_from(TYPED), label="option")
    value = data.draw(invalid_values(param), label="value")
    result = CliRunner().invoke(
        cli,
        ["--db", str(tmp_path / "r.db"), *path, *base_args(path), f"{param.opts[0]}={value}"],
        env={"ARENA_DEBUG": "1"},
    )
    assert result.exit_code == 2, (path, param.name, value, result.output, result.exception)
    assert "internal error" not in result.output
    assert not (tmp_path / "r.db").exists()  # refused before anything ran


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_free_text_looked_up_is_never_an_internal_error(tmp_path_factory, data):
    tmp_path = tmp_path_factory.mktemp("cli")
    path, name = data.draw(st.sampled_from(LOOKUPS), label="where")
    value = data.draw(FREE_TEXT, label="value")
    given_value = [f"{name}={value}"] if name.startswith("--") else [value]
    if not name.startswith("--") and value.startswith("-"):
        given_value = ["--", value]
    assert_no_internal_error(tmp_path, [*path, *base_args(path, skip=name), *given_value])


def test_the_property_covers_every_typed_option():
    assert {(path, p.name) for path, p in TYPED} >= {
        (("leaderboard",), "prior"),
        (("tournament", "work"), "lease_s"),
        (("judges", "audit"), "seed"),
        (("debate",), "condition"),
    }

"""Property tests (issue 12): random and mutated inputs to every loader, importer and CLI
option end in a clear error, never in a traceback, and a failed command leaves the
database as it was. Kept to a few seconds each (in-process, small example counts)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arena.cli import cli

FAST = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
CLI = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))

# TOML values a careless or hostile user might write where a number, string or list belongs.
TOML_VALUES = st.sampled_from(
    [
        "1",
        "0",
        "-1",
        "10000000000",
        "1e999",
        "-inf",
        "nan",
        "1.5",
        "true",
        '""',
        '"x"',
        '"pro"',
        '"con"',
        '"all"',
        '"earlier_rounds"',
        "[1, 2]",
        '["pro opening"]',
        "[]",
        "{ a = 1 }",
        '"\\u001b[2J"',
        '"[/x]"',
        '"sk-abcdefghijklmnop"',
        '"http://u:p@h/v1"',
        '"http://127.0.0.1:1/v1"',
        "1979-05-27",
        '"openai/x"',
    ]
)
NOISE = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


def mutate(template: str, values: list[str]) -> str:
    for value in values:
        template = template.replace("@", value, 1)
    return template


def usage_or_runtime(code: int, output: str) -> None:
    assert code in (0, 1, 2), (code, output)
    assert "Traceback" not in output, output
    assert "\x1b" not in output


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {result.exception!r}\n{result.output}")
    return result.exit_code, result.output


def digest(path: str) -> str:
    with sqlite3.connect(path) as conn:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()


# --------------------------------------------------------------------------- formats

FORMAT = """name = @
[[stage]]
side = @
kind = @
round = @
sees = @
word_limit = @
time_limit = @
[[stage]]
side = "con"
name = @
word_limit = @
"""


@FAST
@given(st.lists(TOML_VALUES, min_size=12, max_size=12))
def test_formats_load_or_say_why(values):
    from arena.debate.formats import parse_format
    from arena.errors import UsageProblem
    from arena.schemas import MAX_WORD_LIMIT

    try:
        fmt = parse_format(mutate(FORMAT, values), "f.toml")
    except UsageProblem as exc:
        assert str(exc).startswith("f.toml") and "Traceback" not in str(exc)
        return
    assert all(1 <= s.word_limit <= MAX_WORD_LIMIT for s in fmt.stages)
    assert {s.side for s in fmt.stages} == {"pro", "con"}


@FAST
@given(st.binary(max_size=200))
def test_format_files_of_random_bytes(tmp_path_factory, data):
    from arena.debate.formats import load_format
    from arena.errors import UsageProblem

    path = tmp_path_factory.mktemp("f") / "f.toml"
    path.write_bytes(data)
    with pytest.raises(UsageProblem):
        load_format(str(path))


# --------------------------------------------------------------------------- arena.toml

CONFIG = """[participant.a]
model = @
api_base = @
temperature = @
max_tokens = @
persona = @
concurrency = @
[judge.j]
model = @
[defaults]
judges = @
"""


@FAST
@given(st.lists(TOML_VALUES, min_size=8, max_size=8))
def test_configs_load_or_say_why(values):
    from arena.config import parse_config
    from arena.errors import UsageProblem

    text = mutate(CONFIG, values)
    try:
        config = parse_config(text, Path("arena.toml"))
    except UsageProblem as exc:
        assert str(exc).startswith("arena.toml") and "sk-abcdefghijklmnop" not in str(exc)
        return
    settings = config.participants["a"]
    assert settings.temperature is None or 0 <= settings.temperature <= 2
    assert settings.api_base is None or settings.api_base.startswith("http")
    assert isinstance(settings.persona, str)


@FAST
@given(NOISE, st.sampled_from(["participant", "judge", "defaults", "participant.x", "x"]))
def test_configs_with_odd_sections(noise, section):
    from arena.config import parse_config
    from arena.errors import UsageProblem

    text = f"[{section}]\n{json.dumps(noise)} = {json.dumps(noise)}\n"
    try:
        parse_config(text, Path("arena.toml"))
    except UsageProblem:
        pass


# --------------------------------------------------------------------------- battles

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | NOISE,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(NOISE, children, max_size=4),
    max_leaves=12,
)
BATTLE = st.fixed_dictionaries(
    {},
    optional={
        "model_a": JSON | NOISE,
        "model_b": JSON | NOISE,
        "tstamp": JSON,
        "winner": JSON | st.sampled_from(["model_a", "model_b", "tie", "tie (bothbad)"]),
    },
)


@FAST
@given(st.lists(BATTLE | JSON, max_size=5), st.booleans())
def test_battle_files_parse_or_list_their_problems(rows, as_array):
    import math

    from arena.importers.battles import BattleFileError, parse_battles

    text = json.dumps(rows) if as_array else "\n".join(json.dumps(r) for r in rows)
    try:
        parsed = parse_battles(text, "b.jsonl")
    except BattleFileError as exc:
        assert all(p.startswith("b.jsonl") for p in exc.problems)
        return
    assert all(math.isfinite(r.tstamp) and r.winner in ("model_a", "model_b", "tie") for r in parsed)


@CLI
@given(st.lists(BATTLE, min_size=1, max_size=3), NOISE)
def test_battle_import_leaves_the_database_alone_on_failure(tmp_path_factory, rows, collection):
    from arena.store.store import Store

    folder = tmp_path_factory.mktemp("b")
    db = str(folder / "t.db")
    Store(db)
    before = digest(db)
    path = folder / "b.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    code, output = invoke("--db", db, "battles", "import", str(path), "--collection", collection)
    usage_or_runtime(code, output)
    if code != 0:
        assert digest(db) == before


# --------------------------------------------------------------------------- study files

STUDY = st.fixed_dictionaries(
    {
        "motion": st.fixed_dictionaries({"topic_description": st.just("This house would test") | NOISE}) | JSON,
        "proposition_model": st.just("a") | JSON,
        "opposition_model": st.just("b") | JSON,
    },
    optional={
        "proposition_output": st.fixed_dictionaries(
            {
                "speeches": st.dictionaries(
                    st.sampled_from(["opening", "rebuttal", "rebuttal_1", "closing", "odd"]), JSON | NOISE
                )
            }
        )
        | JSON,
        "opposition_output": st.fixed_dictionaries(
            {"speeches": st.dictionaries(st.sampled_from(["opening", "rebuttal", "closing"]), JSON | NOISE)}
        )
        | JSON,
        "debator_bets": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "side": st.sampled_from(["proposition", "opposition"]) | JSON,
                    "speech_type": JSON | NOISE,
                    "amount": JSON,
                    "thoughts": JSON,
                },
            )
        )
        | JSON,
        "judge_results": st.lists(
            st.fixed_dictionaries(
                {}, optional={"model": JSON, "winner": JSON | st.just("proposition"), "confidence": JSON, "logic": JSON}
            )
        )
        | JSON,
        "judge_models": JSON,
        "debate_type": JSON | st.sampled_from(["private_bet", "baseline"]),
        "path_to_store": JSON,
    },
)


@FAST
@given(STUDY)
def test_study_files_import_or_are_skipped_with_a_reason(tmp_path_factory, data):
    from arena.importers.overconfidence import parse_overconfidence_dir

    folder = tmp_path_factory.mktemp("s")
    (folder / "one.json").write_text(json.dumps(data))
    debates, problems = parse_overconfidence_dir(folder)
    assert len(debates) + len(problems) == 1
    for debate in debates:
        assert all(isinstance(s.text, str) for s in debate.record.speeches)


@CLI
@given(st.lists(STUDY, min_size=1, max_size=3))
def test_study_import_command(tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("s")
    for n, data in enumerate(files):
        (folder / f"{n}.json").write_text(json.dumps(data))
    code, output = invoke("--db", str(folder / "t.db"), "import", "overconfidence", str(folder))
    usage_or_runtime(code, output)


# --------------------------------------------------------------------------- motions

MOTION = """[[motion]]
id = @
text = @
category = @
info_slide = @
tags = @
language = @
evidence = @
"""


@FAST
@given(st.lists(TOML_VALUES, min_size=7, max_size=7))
def test_motion_files_load_or_say_where(tmp_path_factory, values):
    from arena.motions import MotionError, load_motions

    folder = tmp_path_factory.mktemp("m")
    (folder / "policy.toml").write_text(mutate(MOTION, values))
    try:
        library = load_motions(folder)
    except MotionError as exc:
        assert all("policy.toml" in p for p in exc.problems)
        return
    for motion in library:
        assert "\x1b" not in motion.text


# --------------------------------------------------------------------------- CLI options

OPTION_VALUES = (
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "nan",
            "inf",
            "1e309",
            "99999999999999999999",
            "x",
            "[/x]",
            "\x1b[2J",
            "sim/a",
            "../..",
            "/nonexistent/x",
            "a" * 300,
        ]
    )
    | NOISE
)


@CLI
@given(
    st.sampled_from(
        [
            ("leaderboard", "--k"),
            ("leaderboard", "--collection"),
            ("leaderboard", "--seed"),
            ("leaderboard", "--min-debates"),
            ("leaderboard", "--rounds"),
            ("leaderboard", "-o"),
            ("leaderboard", "--anchor"),
            ("leaderboard", "--tournament"),
            ("show",),
            ("battles", "export", "-o"),
            ("battles", "export", "--collection"),
            ("confidence", "--collection"),
            ("confidence", "--participant"),
            ("motions", "show"),
            ("motions", "list", "--search"),
            ("tournament", "show"),
            ("tournament", "resume"),
            ("debate", "--seed"),
            ("debate", "--pro"),
            ("debate", "--judge"),
            ("debate", "--format"),
            ("debate", "--motion"),
            ("tournament", "run", "--players", "sim/a,sim/b", "--dry-run", "--sample"),
            ("tournament", "run", "--players", "sim/a,sim/b", "--dry-run", "--name"),
            ("tournament", "run", "--players"),
            ("tournament", "run", "--players", "sim/a,sim/b", "--dry-run", "--judge"),
        ]
    ),
    OPTION_VALUES,
)
def test_cli_options_never_end_in_a_traceback(tmp_path_factory, command, value):
    from arena.store.store import Store

    folder = tmp_path_factory.mktemp("c")
    db = str(folder / "t.db")
    Store(db)
    before = digest(db)
    args = [*command, value]
    if command[0] == "debate":
        args = [*args, "--con", "sim/b"] + ([] if "--judge" in command else ["--judge", "sim/j"])
        if "--pro" not in command:
            args += ["--pro", "sim/a"]
    here = os.getcwd()
    os.chdir(folder)  # an -o value that happens to be a valid name writes into the scratch folder
    try:
        code, output = invoke("--db", db, *args)
    finally:
        os.chdir(here)
    usage_or_runtime(code, output)
    if code != 0:
        assert digest(db) == before

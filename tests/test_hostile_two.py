"""Issue 26, classes 2-4: secrets never stored or shown, no escape sequence reaches the
terminal, no text lost or dropped silently. One test per case the issue lists, grouped
by class; the provider cases with a real HTTP server are in test_secrets_echo.py."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from arena.cli import cli
from arena.literal import echo, literal, terminal_text, valid_unicode, valid_unicode_tree
from arena.redact import redact, remember_url, url_secrets

OSC52 = "\x1b]52;c;SGVsbG8gY2xpcGJvYXJk\x07"  # a clipboard write
BIDI = "\u202e"  # right-to-left override
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def run(tmp_path: Path, *args: str, env: dict | None = None):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "r.db"), *args], env=env, catch_exceptions=False)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    return result


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no stray arena.toml from the checkout
    monkeypatch.delenv("ARENA_DB", raising=False)
    monkeypatch.delenv("ARENA_CONFIG", raising=False)


def db_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def study_debate(**changes: object) -> dict:
    stages = ("opening", "rebuttal", "closing")
    data = {
        "motion": {"topic_description": "This House would tax sugar"},
        "debate_type": "private_bet",
        "proposition_model": "openai/a",
        "opposition_model": "openai/b",
        "proposition_output": {"speeches": {s: f"Pro {s} speech." for s in stages}},
        "opposition_output": {"speeches": {s: f"Con {s} speech." for s in stages}},
        "judge_results": [{"model": "j/one", "winner": "proposition", "confidence": 70}],
        "debator_bets": [
            {"side": side, "speech_type": s, "amount": 60, "thoughts": "ahead"}
            for s in stages
            for side in ("proposition", "opposition")
        ],
    }
    data.update(changes)
    return data


# ============================================================== class 2: secrets


def test_the_redactor_masks_url_user_info_query_keys_and_remembered_secrets():
    assert redact("http://TOKENABC999@127.0.0.1:9/v1") == "http://[redacted]@127.0.0.1:9/v1"
    assert redact("https://user:p4ssw0rd@h/v1") == "https://user:[redacted]@h/v1"
    assert redact("(api_base http://h/v1?key=SUPER123&x=1): is") == "(api_base http://h/v1?key=[redacted]&x=1): is"
    assert redact("api_key=abcdef123, token=xyz987.") == "api_key=[redacted], token=[redacted]."
    assert redact("mail me@example.org, the key= is") == "mail me@example.org, the key= is"
    assert url_secrets("http://user:pw12345@h/v1?api_key=Q9Q9Q9Q9&model=x") == ["pw12345", "Q9Q9Q9Q9"]
    remember_url("http://h/v1?token=rememberedvalue777")
    assert redact("the server said rememberedvalue777 back") == "the server said [redacted] back"


def test_api_base_secrets_are_never_printed_by_preflight_or_models(tmp_path: Path):
    (tmp_path / "arena.toml").write_text(
        '[participant.q]\nmodel = "openai/x"\napi_base = "http://127.0.0.1:9/v1?key=QUERYSECRET1234"\n'
        '[participant.u]\nmodel = "openai/x"\napi_base = "http://TOKENSECRET5678@127.0.0.1:9/v1"\n'
    )
    listed = run(tmp_path, "models", "--json")
    assert listed.exit_code == 0
    assert json.loads(listed.stdout)["models"][0]["api_base"] == "http://127.0.0.1:9/v1?key=[redacted]"
    table = run(tmp_path, "models")
    started = run(tmp_path, "debate", "--pro", "q", "--con", "u", "--judge", "sim/j")
    assert started.exit_code != 0 and "could not reach the server" in started.output
    for result in (listed, table, started):
        assert "QUERYSECRET1234" not in result.output and "TOKENSECRET5678" not in result.output


def test_battles_export_passes_the_redactor(tmp_path: Path):
    assert (
        run(
            tmp_path, "debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/exportsecret42", "--format", "quick"
        ).exit_code
        == 0
    )
    env = {"SOME_SERVICE_TOKEN": "exportsecret42"}  # a secret that turns up in the export
    shown = run(tmp_path, "battles", "export", env=env)
    assert shown.exit_code == 0 and "[redacted]" in shown.stdout and "exportsecret42" not in shown.stdout
    assert run(tmp_path, "battles", "export", "-o", "out.json", env=env).exit_code == 0
    assert "exportsecret42" not in (tmp_path / "out.json").read_text()


# ============================================================== class 3: the terminal


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=80))
def test_no_escape_control_or_bidi_character_survives_the_terminal_writer(text: str):
    shown = terminal_text(text)
    assert not UNSAFE.search(shown)
    assert "\x1b" not in shown and "\x9b" not in shown


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(categories=("L", "N", "P", "S", "Zs")), max_size=80))
def test_printable_text_is_kept_as_it_is(text: str):
    if UNSAFE.search(text) or "[redacted]" in redact(text):
        return  # the bidi marks are format characters; a key-like text is masked on purpose
    assert literal(text) == text and terminal_text(text + "\n\tx") == text + "\n\tx"


def test_whole_sequences_go_not_only_their_escape_byte():
    assert literal(f"a{OSC52}b\x1b[2J\x1b[31mc{BIDI}d\x9b1;2He") == "abcde"
    # an unended OSC loses its introducer, not the rest of the message
    assert literal("x\x1b]0;title without end: more") == "x0;title without end: more"


def test_the_terminal_writer_is_the_only_way_out():
    """Every module prints through `literal.echo`/`write_line` or a `SafeConsole`: no
    click.echo, print or raw stream write elsewhere (the TUI draws through Textual)."""
    root = Path(__file__).resolve().parents[1] / "arena"
    raw = re.compile(
        r"\bclick\.(?:echo|secho)\(|(?<![\w.])print\(|\bsys\.(?:stdout|stderr)\.write\(|"
        r"\bConsole\((?!Options)"
    )
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("*.py")
        if path.name != "literal.py" and "tui" not in path.parts
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if raw.search(line)
    ]
    assert offenders == []


def test_echo_cleans_and_redacts(capsys, monkeypatch):
    monkeypatch.setenv("X_SERVICE_KEY", "echoedsecret99")
    echo(f"name {OSC52}evil{BIDI} echoedsecret99", err=True)
    assert capsys.readouterr().err == "name evil [redacted]\n"


def test_leaderboard_warnings_show_the_anchor_without_escapes(tmp_path: Path):
    assert (
        run(tmp_path, "debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j", "--format", "quick").exit_code
        == 0
    )
    for fmt in ("table", "md"):
        result = run(tmp_path, "leaderboard", "--anchor", f"x{OSC52}{BIDI}y", "--format", fmt)
        assert result.exit_code == 2 and "--anchor: expected a name" in result.output, result.output
        assert "\x1b" not in result.output and BIDI not in result.output and "SGVsbG8" not in result.output
    # what a stored name or a board warning holds is cleaned on its way out, whatever the format
    from arena.commands import leaderboard as command

    real = command.compute

    def with_warning(ctx, **options):  # type: ignore[no-untyped-def]
        board = real(ctx, **options)
        board.warnings.append(f"imported name x{OSC52}{BIDI}y")
        return board

    for fmt in ("table", "md", "csv"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(command, "compute", with_warning)
            result = run(tmp_path, "leaderboard", "--format", fmt)
        assert result.exit_code == 0
        assert "\x1b" not in result.output and "\x07" not in result.output and BIDI not in result.output


def test_an_arena_toml_name_with_control_characters_is_refused(tmp_path: Path):
    for name in ("a\\u001b]52;c;SGVsbG8=\\u0007", "a\\u202eb", " "):
        (tmp_path / "arena.toml").write_text(f'[participant."{name}"]\nmodel = "sim/a"\n')
        result = run(tmp_path, "models")
        assert result.exit_code == 2 and "must be printable" in result.output, result.output
        assert "\x1b" not in result.output and BIDI not in result.output


def test_import_overconfidence_refuses_a_collection_with_control_characters(tmp_path: Path):
    folder = tmp_path / "study"
    folder.mkdir()
    (folder / "d.json").write_text(json.dumps(study_debate()))
    for bad in (f"c{OSC52}", f"c{BIDI}d", "c\x07"):
        result = run(tmp_path, "import", "overconfidence", str(folder), "--collection", bad)
        assert result.exit_code == 2 and "printable" in result.output
    assert not (tmp_path / "r.db").exists()  # refused before the store is opened


def test_a_study_file_naming_a_model_with_control_characters_is_refused(tmp_path: Path):
    folder = tmp_path / "study"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(study_debate(proposition_model=f"openai/a{OSC52}")))
    bad_judge = [{"model": f"j{BIDI}x", "winner": "proposition", "confidence": 70}]
    (folder / "b.json").write_text(json.dumps(study_debate(judge_results=bad_judge)))
    (folder / "c.json").write_text(json.dumps(study_debate()))
    doc = json.loads(run(tmp_path, "import", "overconfidence", str(folder), "--json").stdout)
    assert doc["imported"] == 1
    assert [(Path(p["path"]).name, "printable characters" in p["message"]) for p in doc["problems"]] == [
        ("a.json", True),
        ("b.json", True),
    ]


def test_import_overconfidence_echoes_file_names_without_escapes(tmp_path: Path):
    folder = tmp_path / "study"
    folder.mkdir()
    (folder / f"a{OSC52}{BIDI}b.json").write_text("{not json")
    (folder / "good.json").write_text(json.dumps(study_debate()))
    result = run(tmp_path, "import", "overconfidence", str(folder))
    assert result.exit_code == 0 and "1 imported" in result.output and "not valid JSON" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output and BIDI not in result.output
    as_json = run(tmp_path, "import", "overconfidence", str(folder), "--json")
    assert "\x1b" not in as_json.output and "\x07" not in as_json.output and BIDI not in as_json.output
    # JSON keeps the data: the bidi control is a \u escape, read back as itself (the
    # escape sequence's bytes are control characters, which json.dumps escapes too)
    names = [Path(p["path"]).name for p in json.loads(as_json.stdout)["problems"]]
    assert names == [f"a{OSC52}{BIDI}b.json"]


# ============================================================== class 4: nothing lost silently


def test_unicode_repair_counts_what_it_replaced():
    assert valid_unicode("ok") == ("ok", 0)
    assert valid_unicode("a\ud800b\udfff") == ("a\ufffdb\ufffd", 2)
    assert valid_unicode_tree({"k\udc00": ["x\ud800", 3]}) == ({"k\ufffd": ["x\ufffd", 3]}, 2)


def test_undecodable_bytes_on_the_command_line_are_a_usage_error(tmp_path: Path):
    """Python reads argv's non-UTF-8 bytes as lone surrogates; one reaching the database
    was an internal error."""
    assert (
        run(tmp_path, "debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j", "--format", "quick").exit_code
        == 0
    )
    shown = run(tmp_path, "show", "\udcff")
    assert shown.exit_code == 2 and "not valid UTF-8" in shown.output
    missing = run(tmp_path, "battles", "import", "\udcff.json", "--collection", "x")
    assert missing.exit_code == 2 and "no such file: \ufffd.json" in missing.output


def test_a_battle_file_with_a_lone_surrogate_imports_and_says_so(tmp_path: Path):
    (tmp_path / "b.json").write_text('[{"model_a": "a\\ud800", "model_b": "b", "winner": "model_a"}]')
    result = run(tmp_path, "battles", "import", "b.json", "--collection", "c")
    assert result.exit_code == 0, result.output
    assert "b.json:1: model_a or model_b held an unpaired surrogate" in result.stderr
    with sqlite3.connect(tmp_path / "r.db") as conn:
        assert conn.execute("SELECT model_a FROM battle").fetchall() == [("a\ufffd",)]


def test_a_battle_file_with_content_after_its_array_imports_nothing(tmp_path: Path):
    one = {"model_a": "a", "model_b": "b", "winner": "model_a"}
    (tmp_path / "b.json").write_text(json.dumps([one]) + "\n" + json.dumps([one] * 5) + "\n")
    result = run(tmp_path, "battles", "import", "b.json", "--collection", "c")
    assert result.exit_code == 1
    assert "b.json:2: content after the JSON array ends" in result.stderr and "nothing imported" in result.stderr
    assert not (tmp_path / "r.db").exists()  # read and refused before the store is opened


def test_a_study_file_with_a_lone_surrogate_is_imported_not_called_already_imported(tmp_path: Path):
    folder = tmp_path / "study"
    folder.mkdir()
    text = json.dumps(study_debate()).replace("Pro opening speech.", "Pro \\ud800 opening speech.")
    (folder / "d.json").write_text(text)
    result = run(tmp_path, "import", "overconfidence", str(folder), "--verbose")
    assert result.exit_code == 0, result.output
    assert "1 imported" in result.output and "0 skipped" in result.output
    assert "unpaired surrogate" in result.output
    with sqlite3.connect(tmp_path / "r.db") as conn:
        texts = [t for (t,) in conn.execute("SELECT text FROM speech")]
    assert "Pro \ufffd opening speech." in texts


def test_an_oversized_rebuttal_number_is_that_files_problem_only(tmp_path: Path):
    folder = tmp_path / "study"
    folder.mkdir()
    huge = study_debate()
    huge["proposition_output"]["speeches"]["rebuttal_" + "9" * 30] = "Again."
    (folder / "a_huge.json").write_text(json.dumps(huge))  # read first
    for n in range(3):
        (folder / f"b{n}.json").write_text(
            json.dumps(study_debate(debate_type=f"private_bet_{n}", proposition_model=f"openai/a{n}"))
        )
    result = run(tmp_path, "import", "overconfidence", str(folder), "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["files"], doc["imported"]) == (4, 3)
    assert [Path(p["path"]).name for p in doc["problems"]] == ["a_huge.json"]
    assert "more than 100 rounds" in doc["problems"][0]["message"]


def test_a_debate_the_store_refuses_is_reported_and_the_other_files_import(tmp_path: Path, monkeypatch):
    from arena.store.store import Store

    folder = tmp_path / "study"
    folder.mkdir()
    for n in range(3):
        (folder / f"d{n}.json").write_text(json.dumps(study_debate(proposition_model=f"openai/a{n}")))
    real = Store.save_debate

    def refuse_the_first(self, record, participants=None, lease_owner=None):  # type: ignore[no-untyped-def]
        if record.pro == "model:openai/a0":
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        return real(self, record, participants, lease_owner)

    monkeypatch.setattr(Store, "save_debate", refuse_the_first)
    doc = json.loads(run(tmp_path, "import", "overconfidence", str(folder), "--json").stdout)
    assert doc["imported"] == 2 and doc["skipped"] == 0
    assert [Path(p["path"]).name for p in doc["problems"]] == ["d0.json"]
    assert "not stored (OverflowError" in doc["problems"][0]["message"]


def test_an_output_path_that_is_the_database_or_an_input_is_refused(tmp_path: Path):
    assert (
        run(tmp_path, "debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j", "--format", "quick").exit_code
        == 0
    )
    db = tmp_path / "r.db"
    before = db_digest(db)
    for args in (
        ("leaderboard", "-o", str(db)),
        ("leaderboard", "--format", "csv", "-o", "r.db"),
        ("battles", "export", "-o", str(db)),
    ):
        result = run(tmp_path, *args)
        assert result.exit_code == 2 and "is the database (--db)" in result.output, result.output
    assert db_digest(db) == before
    other = tmp_path / "other.db"
    other.write_bytes(db.read_bytes())
    result = run(tmp_path, "leaderboard", "-o", str(other))
    assert result.exit_code == 2 and "is a SQLite database" in result.output
    (tmp_path / "arena.toml").write_text('[participant.a]\nmodel = "sim/a"\n')
    result = run(tmp_path, "--config", "arena.toml", "leaderboard", "-o", "arena.toml")
    assert result.exit_code == 2 and "is the config file" in result.output
    assert (tmp_path / "arena.toml").read_text().startswith("[participant.a]")
    assert os.path.getsize(other) == os.path.getsize(db)


def test_the_store_is_the_net_under_the_edges_secrets_and_surrogates(tmp_path: Path, monkeypatch):
    """Whatever reaches `Store.save_debate` (an agent step's web evidence, a ballot's
    reasons, an error) is stored redacted and as valid Unicode, and the repair is said."""
    import asyncio
    import dataclasses

    from arena.config import Config
    from arena.debate.engine import run_debate
    from arena.debate.options import DebateOptions
    from arena.debate.records import AgentStep
    from arena.llm.gateway import Gateway
    from arena.play import DebateRequest, prepare
    from arena.store.queries import load_debate
    from arena.store.store import Store

    monkeypatch.setenv("SEARCH_SERVICE_TOKEN", "storedsecret31337")
    gateway = Gateway(backoff_base_s=0.0)
    setup = prepare(
        DebateRequest(pro="sim/a", con="sim/b", options=DebateOptions(judges=("sim/j",), seed=3)), Config(), gateway
    )
    record = asyncio.run(run_debate(setup, gateway))
    step = AgentStep(role="searcher", stage="s", input_summary="q", output="found \ud800 storedsecret31337")
    record.speeches[0] = dataclasses.replace(record.speeches[0], trace=[step])
    record.ballots[0] = dataclasses.replace(record.ballots[0], reasons="api_key=storedsecret31337")
    store = Store(str(tmp_path / "net.db"))
    store.save_debate(record)
    loaded = load_debate(store, record.id)
    assert loaded.speeches[0].trace[0].output == "found \ufffd [redacted]"
    assert "storedsecret31337" not in loaded.ballots[0].reasons
    assert any("1 unpaired surrogate(s)" in w for w in loaded.warnings)
    assert b"storedsecret31337" not in (tmp_path / "net.db").read_bytes()

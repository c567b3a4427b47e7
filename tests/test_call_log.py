"""Issue 21, item 1: every model call of a debate on record with the debate, on SQLite and
PostgreSQL: as many calls as the gateway answered and failed, retries included; tokens
that add up to the debate's; texts as sent, redacted; a setting for metadata only or
nothing; written in the debate's own transaction."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import replace

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from arena.cli import cli
from arena.config import Config, call_log_level, parse_config
from arena.debate.engine import run_debate
from arena.debate.options import DebateOptions
from arena.errors import UsageProblem
from arena.llm.gateway import Gateway
from arena.play import DebateRequest, participant_info, prepare
from arena.redact import redact
from arena.store.call_log import call_of, calls_of, segments
from arena.store.store import Store


def played(store: Store, pro: str, con: str, judges: tuple[str, ...], seed: int, **options: object):
    """A debate on a fresh gateway (its stats count this debate's calls alone), stored."""
    gateway = Gateway(max_retries=1, backoff_base_s=0.0)
    opts = DebateOptions(format="quick", judges=judges, seed=seed, **options)  # type: ignore[arg-type]
    setup = prepare(DebateRequest(pro=pro, con=con, options=opts), Config(), gateway)
    record = asyncio.run(run_debate(setup, gateway))
    store.save_debate(record, [participant_info(setup.pro), participant_info(setup.con)])
    return record, gateway, setup


def test_every_call_of_a_debate_is_on_record_retries_and_failures_included(store) -> None:
    """Faulty simulated models (transient errors, malformed answers), one retry allowed:
    calls fail, are retried, are asked again; an agent team's role calls; a swapped panel."""
    seen_retries = seen_failures = 0
    for seed in range(1, 7):
        pro = "team:a4d@sim/x?faults=0.15" if seed % 2 else "sim/a?faults=0.3"
        record, gateway, _ = played(store, pro, "sim/b?faults=0.3", ("sim/j1?faults=0.3", "sim/j2"), seed, swap=True)
        logged = calls_of(store, debate_id=record.id)
        stats = gateway.stats
        assert len(logged) == stats.calls + stats.failures == len(record.calls)
        assert [c.seq for c in logged] == list(range(1, len(logged) + 1))
        answered = [c for c in logged if not c.error]
        assert len(answered) == record.usage.calls == stats.calls
        assert sum(c.retries for c in logged) == record.usage.retries == stats.retries
        assert sum(c.tokens_in for c in logged) == record.usage.tokens_in == stats.tokens_in
        assert sum(c.tokens_out for c in logged) == record.usage.tokens_out == stats.tokens_out
        # every call says what it served and for whom
        assert all(c.stage and c.who and c.model for c in logged)
        speakers = {c.who for c in logged if c.purpose in ("speech", "bet") or c.purpose.startswith("agent.")}
        assert speakers <= {record.pro, record.con}
        assert {c.stage for c in logged if c.purpose == "ballot"} <= {"ballot", "ballot (swapped)"}
        seen_retries += stats.retries
        seen_failures += stats.failures
    assert seen_retries and seen_failures  # the faults happened: the counts above were tested on them


def test_a_call_reads_back_as_it_was_sent_and_prints(store, db_url) -> None:
    record, _, _ = played(store, "team:a4d@sim/x", "sim/b", ("sim/j1",), seed=3)
    for n, logged in enumerate(record.calls, start=1):
        back = call_of(store, n, debate_id=record.id)
        assert back is not None and back.messages is not None
        sent = logged.call.request.messages
        assert back.messages == [(m.role, redact(m.content)) for m in sent]
        assert back.answer == logged.call.answer
        assert (back.stage, back.who, back.purpose) == (logged.stage, logged.who, logged.call.request.purpose)
    assert call_of(store, len(record.calls) + 1, debate_id=record.id) is None

    runner = CliRunner()
    listed = runner.invoke(cli, ["--db", db_url, "show", record.id[:8], "--calls"], terminal_width=200)
    assert listed.exit_code == 0, listed.output
    assert f"{len(record.calls)} calls (0 failed" in listed.output
    assert f"{record.usage.tokens_in:,} tokens in" in listed.output and "agent.writer" in listed.output
    as_json = json.loads(runner.invoke(cli, ["--db", db_url, "show", record.id, "--calls", "--json"]).output)
    assert sum(c["tokens_in"] for c in as_json["calls"]) == record.usage.tokens_in
    last = len(record.calls)
    one = runner.invoke(cli, ["--db", db_url, "calls", record.id, str(last)])
    assert one.exit_code == 0, one.output
    assert f"call {last} of debate {record.id}" in one.output and "── answer ──" in one.output
    assert record.calls[-1].call.answer.strip()[:40] in one.output
    missing = runner.invoke(cli, ["--db", db_url, "calls", record.id, str(last + 1)])
    assert missing.exit_code == 2 and f"has {last} call(s) on record" in missing.output
    listed_too = runner.invoke(cli, ["--db", db_url, "calls", record.id[:8]], terminal_width=200)
    assert f"{len(record.calls)} calls (0 failed" in listed_too.output  # no N: the list


def test_metadata_only_keeps_no_text_and_off_keeps_nothing(db_url) -> None:
    meta = Store(db_url, call_log="meta")
    record, _, _ = played(meta, "sim/a", "sim/b", ("sim/j1",), seed=5)
    logged = calls_of(meta, debate_id=record.id)
    assert len(logged) == len(record.calls) and sum(c.tokens_in for c in logged) == record.usage.tokens_in
    first = call_of(meta, 1, debate_id=record.id)
    assert first is not None and first.messages is None and first.answer is None
    printed = CliRunner().invoke(cli, ["--db", db_url, "calls", record.id, "1"])
    assert "metadata only" in printed.output
    off = Store(db_url, call_log="off")
    record, _, _ = played(off, "sim/a", "sim/b", ("sim/j1",), seed=6)
    assert calls_of(off, debate_id=record.id) == []
    listed = CliRunner().invoke(cli, ["--db", db_url, "--call-log", "off", "show", record.id, "--calls"])
    assert "no calls on record" in listed.output
    meta.engine.dispose()
    off.engine.dispose()


def test_the_setting_comes_from_arena_toml_the_option_or_the_environment(tmp_path, monkeypatch, db_path) -> None:
    config = parse_config('[defaults]\ncall_log = "meta"\n', tmp_path / "arena.toml")
    assert config.call_log == "meta"
    with pytest.raises(UsageProblem, match=r"arena.toml:2: \[defaults\] call_log must be one of full, meta, off"):
        parse_config('[defaults]\ncall_log = "everything"\n', tmp_path / "arena.toml")
    (tmp_path / "arena.toml").write_text('[defaults]\ncall_log = "meta"\n')
    runner = CliRunner()
    out = runner.invoke(cli, ["debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j", "--json"])
    assert out.exit_code == 0, out.output
    debate_id = json.loads(out.stdout)["id"]
    assert "metadata only" in runner.invoke(cli, ["calls", debate_id, "1"]).output
    monkeypatch.setenv("ARENA_CALL_LOG", "full")  # the environment (or --call-log) wins over arena.toml
    out = runner.invoke(cli, ["debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j", "--json"])
    assert "── answer ──" in runner.invoke(cli, ["calls", json.loads(out.stdout)["id"], "1"]).output
    bad = runner.invoke(cli, ["--call-log", "some", "show", debate_id])
    assert bad.exit_code == 2
    # the one rule, which the app follows too: option, then environment, then arena.toml
    assert call_log_level("off", "meta") == "off" and call_log_level(None, "meta") == "full"
    monkeypatch.delenv("ARENA_CALL_LOG")
    assert call_log_level(None, "meta") == "meta" and call_log_level() == "full"
    from arena.tui.data import open_store

    assert open_store(db_path, "meta").call_log == "meta"


def test_a_failed_save_leaves_no_half_log(store, monkeypatch) -> None:
    gateway = Gateway()
    opts = DebateOptions(format="quick", judges=("sim/j",), seed=8)
    setup = prepare(DebateRequest(pro="sim/a", con="sim/b", options=opts), Config(), gateway)
    record = asyncio.run(run_debate(setup, gateway))
    assert record.calls

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the machine went down mid-transaction")

    monkeypatch.setattr(Store, "_update_ratings", crash)  # after the calls are written, before the commit
    with pytest.raises(RuntimeError):
        store.save_debate(record)
    assert calls_of(store, debate_id=record.id) == []
    monkeypatch.undo()
    store.save_debate(record)  # and the same debate stored again has its calls once
    assert len(calls_of(store, debate_id=record.id)) == len(record.calls)
    again = replace(record, status="void", calls=record.calls[:2])
    with pytest.raises(ValueError):
        store.save_debate(again)  # a finished debate is never stored twice: its log stays whole
    assert len(calls_of(store, debate_id=record.id)) == len(record.calls)


LINE = st.text(st.sampled_from("ab =:-_/?&\"'"), max_size=200)
SECRET_BITS = st.sampled_from(
    [
        "Bearer ",
        "Bearer\n",
        "basic\n ",
        "api_key:",
        "api_key:\n",
        "API-KEY = '",
        "x-api-key\n:\n",
        "access_token=",
        "authorization\n: ",
        "?key=",
        "&token=",
        "https://user:",
        "@host",
        "sk-",
        "AIza",
        "\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.one_of(LINE, SECRET_BITS, st.just("x" * 170), st.just("plainsecretvalue987654"))))
def test_redacting_the_segments_is_redacting_the_whole(monkeypatch_session_key, parts: list[str]) -> None:
    """The call log redacts a prompt's segments once each (not every prompt whole): the
    result must be the same, secrets at the cuts included."""
    text = "".join(parts)
    pieces = segments(text)
    assert "".join(pieces) == text
    assert "".join(redact(p) for p in pieces) == redact(text)


@pytest.fixture(scope="module")
def monkeypatch_session_key():
    mp = pytest.MonkeyPatch()
    mp.setenv("CALL_LOG_TEST_API_KEY", "plainsecretvalue987654")
    yield
    mp.undo()


def test_a_long_speech_quoted_again_is_one_segment() -> None:
    speech = "We hold this. " * 20
    first = segments(f"<<<SPEECH-aa>>>\n{speech}\n<<<END-aa>>>")
    later = segments(f"header\n<<<SPEECH-bb>>>\n{speech}\n<<<END-bb>>>\n\nDecide.")
    assert speech in first and speech in later
    assert segments(f"Authorization:\n{speech}") == [f"Authorization:\n{speech}"]  # no cut where a key may run on


def test_a_judge_audit_keeps_its_calls_under_its_run(db_path) -> None:
    """An audit has no debate: its calls are stored under "audit:<its id>", which the audit names."""
    runner = CliRunner()
    out = runner.invoke(cli, ["judges", "audit", "--judge", "sim/judge", "--debates", "6", "--seed", "2", "--json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    ballots = doc["judges"][0]["ballots"]
    run = re.search(r"arena calls (audit:\d+)", out.stderr)
    assert run is not None, out.stderr
    listed = runner.invoke(cli, ["calls", run.group(1), "--json"])
    calls = json.loads(listed.stdout)["calls"]
    assert len(calls) >= ballots and {c["who"] for c in calls} == {"sim/judge"}
    assert all(c["stage"].endswith(tuple("0123456789")) and " probe " in c["stage"] for c in calls)
    one = runner.invoke(cli, ["calls", run.group(1), "1"])
    assert f"call 1 of {run.group(1)}" in one.stdout and "── answer ──" in one.stdout


def test_a_failed_calls_error_reads_whole_at_80_columns(db_path, monkeypatch) -> None:
    """Folded into a narrow column it lost letters (`unava / able:`); it is a line of its own."""
    monkeypatch.setenv("COLUMNS", "80")
    runner = CliRunner()
    out = runner.invoke(cli, ["debate", "--pro", "sim/a?faults=1", "--con", "sim/b", "--judge", "sim/j", "--json"])
    debate_id = json.loads(out.stdout)["id"]
    shown = runner.invoke(cli, ["show", debate_id, "--calls"]).stdout
    errors = [line for line in shown.splitlines() if line.startswith("call ") and "fault" in line]
    assert errors and all(max(map(len, shown.splitlines())) <= 80 for _ in errors)
    assert any("simulated" in line and "fault" in line for line in errors)


def test_the_list_of_calls_reads_at_80_columns(db_path, monkeypatch) -> None:
    """At 80 columns every call is one line where its names fit: stage whole, who and model in
    one column (the model only where it is not who's own), no error column without errors."""
    monkeypatch.setenv("COLUMNS", "80")
    runner = CliRunner()
    # seed 10: a call of 1,026 tokens in, whose comma once pushed the table to 81 columns and
    # folded every "Proposition opening" in two (the test passed or failed by the drawn seed)
    args = ["debate", "--pro", "team:a4d@sim/x", "--con", "sim/b", "--judge", "sim/j", "--seed", "10", "--json"]
    debate_id = json.loads(runner.invoke(cli, args).stdout)["id"]
    shown = runner.invoke(cli, ["show", debate_id, "--calls"]).stdout
    assert "1,026" in shown
    lines = shown.splitlines()
    assert max(map(len, lines)) <= 80
    rows = [line for line in lines if re.match(r"\s*\d+  ", line)]
    assert rows and all(re.search(r" [\d,]+\s+[\d,]+\s+\d+\.\d\d\s+\d+\s*$", row) for row in rows)  # one line each
    assert len(lines) == len(rows) + 6  # title, header, rule, two lines of totals, the hint
    assert any("Proposition opening" in row and "team:a4d@sim/x " in row for row in rows)  # not "(sim/x)"
    assert "error" not in lines[1] and "who (model)" in lines[1]


def test_a_run_that_is_not_on_record_is_a_usage_error(db_path, tmp_path) -> None:
    """`arena calls bench:99` named no run: exit 2, one line; a run that is there lists its calls
    under its own name, not as a "debate"."""
    runner = CliRunner()
    for run in ("bench:99", "bench:x", "audit:7", "audit:1e3", "group:nope"):
        out = runner.invoke(cli, ["calls", run])
        assert out.exit_code == 2, (run, out.output)
        assert len(out.output.strip().splitlines()) == 1 and f"error: {run}: no such" in out.output
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text('{"prompt": "2+2?", "a": "4", "b": "5", "winner": "a"}\n', encoding="utf-8")
    out = runner.invoke(cli, ["judges", "bench", str(pairs), "--judge", "sim/j"])
    run = re.search(r"arena calls (bench:\d+)", out.stderr)
    assert out.exit_code == 0 and run is not None, out.output
    listed = runner.invoke(cli, ["calls", run.group(1)], terminal_width=100).stdout
    assert f"Model calls of {run.group(1)}" in listed and "debate" not in listed
    assert f"call 1 of {run.group(1)}:" in runner.invoke(cli, ["calls", run.group(1), "1"]).stdout
    assert "no such run" in runner.invoke(cli, ["calls", "study:none-here"]).stdout

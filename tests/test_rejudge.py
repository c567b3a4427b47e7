"""Issue 21, item 2 (first slice): a stored debate judged again by other judges sees exactly
its stored transcript, under its own protocol; the original and its ratings stay as they were."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from arena.config import Config
from arena.debate.participants import judge_specs
from arena.debate.rejudge import rejudge
from arena.llm.gateway import Gateway
from arena.store import rejudge_query
from arena.store.call_log import calls_of
from arena.store.queries import load_debate
from arena.store.store import Store
from tests.test_call_log import played

ROOT = Path(__file__).resolve().parents[1]


def test_a_stored_debate_rejudged_keeps_its_transcript_and_leaves_the_original(store) -> None:
    original, _, _ = played(store, "sim/a?skill=0.8", "sim/b?skill=0.3", ("sim/j1",), seed=4, swap=True)
    before, ratings = load_debate(store, original.id), store.rating_states()
    gateway = Gateway()
    again = asyncio.run(
        rejudge(before, judge_specs(["sim/j2", "sim/j3"], Config()), gateway, debate_id="re1", collection="panel-b")
    )
    assert again.status == "finished" and again.verdict is not None
    assert again.speeches == before.speeches and again.bets == before.bets
    assert again.options.swap and again.options.judges == ("sim/j2", "sim/j3")
    assert sorted((b.judge, b.swapped) for b in again.ballots) == [
        ("sim/j2", False),
        ("sim/j2", True),
        ("sim/j3", False),
        ("sim/j3", True),
    ]
    rounds = sorted({s.round for s in before.speeches})
    assert sorted((r.judge, r.round) for r in again.round_scores) == [
        (j, n) for j in ("sim/j2", "sim/j3") for n in rounds
    ]
    ballot_prompts = [c.call.request.messages[-1].content for c in again.calls if c.call.request.purpose == "ballot"]
    assert len(ballot_prompts) == 4
    for prompt in ballot_prompts:  # every stored speech, as stored
        assert all(s.text in prompt for s in before.speeches)
    assert len(again.calls) == gateway.stats.calls + gateway.stats.failures
    assert again.usage.calls == gateway.stats.calls
    store.save_debate(again)  # its own collection: rated apart, logged with its calls
    assert load_debate(store, original.id) == before and store.rating_states() == ratings
    assert load_debate(store, "re1").collection == "panel-b"
    assert len(calls_of(store, debate_id="re1")) == len(again.calls)


def arena_cli(*args: str, db: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "arena", "--db", db, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def test_a_tournament_rejudged_gives_a_second_board_and_resumes_after_kill_9(db_url) -> None:
    """The done-when of the issue: a second leaderboard from another judge, the originals'
    board byte-identical, and after `kill -9` the same command finishes with exactly one
    ballot set per debate (SQLite and PostgreSQL)."""
    players = "sim/a?skill=0.9,sim/b?skill=0.5,sim/c?skill=0.1"
    out = arena_cli("tournament", "run", "--name", "t1", "--players", players, "--judge", "sim/j1", db=db_url)
    assert out.returncode == 0, out.stderr
    board = arena_cli("leaderboard", "--json", db=db_url).stdout
    originals = rejudge_query.finished_debates(Store(db_url), tournament="t1")
    assert len(originals) == 6
    dry = arena_cli("rejudge", "--judge", "sim/j2", "--tournament", "t1", "--into", "t1-j2", "--dry-run", db=db_url)
    assert dry.returncode == 0 and "6 of 6 debates" in dry.stdout and "calls" in dry.stdout, dry.stderr
    slow = ["rejudge", "--judge", "sim/j2?latency=0.4", "--tournament", "t1", "--into", "t1-j2", "--concurrency", "1"]
    process = subprocess.Popen(
        [sys.executable, "-m", "arena", "--db", db_url, *slow],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    store = Store(db_url)
    deadline = time.monotonic() + 120
    while len(rejudge_query.finished_debates(store, collection="t1-j2")) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    process.kill()  # SIGKILL: no clean-up of any kind
    process.wait()
    done = len(rejudge_query.finished_debates(store, collection="t1-j2"))
    assert 2 <= done < 6
    other = arena_cli("rejudge", "--judge", "sim/j3", "--tournament", "t1", "--into", "t1-j2", db=db_url)
    assert other.returncode == 2 and "holds debates judged by sim/j2?latency=0.4" in other.stderr
    again = arena_cli(*slow, "--json", db=db_url)
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["skipped"] == done and report["judged"] == 6 - done
    rejudged = [load_debate(store, i) for i in rejudge_query.finished_debates(store, collection="t1-j2")]
    assert sorted(r.rejudge_of for r in rejudged if r is not None) == sorted(originals)  # one each
    assert all(r is not None and [b.judge for b in r.ballots] == ["sim/j2?latency=0.4"] for r in rejudged)
    second = json.loads(arena_cli("leaderboard", "--collection", "t1-j2", "--json", db=db_url).stdout)
    assert second and "sim/a" in json.dumps(second)
    assert arena_cli("leaderboard", "--json", db=db_url).stdout == board  # the originals' board, byte for byte
    store.engine.dispose()


def test_a_mistyped_tournament_or_collection_is_named(db_path) -> None:
    """`--tournament sprng` said "nothing to judge again: name debate ids, --tournament or
    --collection" although one was named; now the name is the mistake, with the known ones."""
    from click.testing import CliRunner

    from arena.cli import cli

    runner = CliRunner()
    ran = runner.invoke(cli, ["tournament", "run", "--name", "spring", "--players", "sim/a,sim/b", "--judge", "sim/j1"])
    assert ran.exit_code == 0, ran.output
    typo = runner.invoke(cli, ["rejudge", "--judge", "sim/j2", "--tournament", "sprng", "--into", "x"])
    assert typo.exit_code == 2 and "--tournament 'sprng': no such tournament" in typo.output
    assert "'spring'" in typo.output and len(typo.output.strip().splitlines()) == 1
    typo = runner.invoke(cli, ["rejudge", "--judge", "sim/j2", "--collection", "nope", "--into", "x"])
    assert typo.exit_code == 2 and "--collection 'nope': no such collection" in typo.output
    # a judge that cannot be reached is refused before any debate is judged (and stored void)
    keyless = runner.invoke(
        cli, ["rejudge", "--judge", "openai/gpt-4o-mini", "--tournament", "spring", "--into", "oa"],
        env={"OPENAI_API_KEY": ""},
    )  # fmt: skip
    assert keyless.exit_code == 2 and "not ready to start" in keyless.output and "OPENAI_API_KEY" in keyless.output
    assert rejudge_query.judge_lists(Store(db_path), "oa") == set()  # nothing stored, not even void copies
    # into a collection of a study's debates: its board would mix them with the new ballots
    studied = runner.invoke(cli, ["study", "beliefs", "--debaters", "sim/a,sim/b", "--debates", "1"])
    assert studied.exit_code == 0, studied.output
    mixed = runner.invoke(cli, ["rejudge", "--judge", "sim/j2", "--tournament", "spring", "--into", "study-beliefs"])
    assert mixed.exit_code == 2 and "--into 'study-beliefs' holds 1 debates or battles that are not re-judgings" in (
        mixed.output
    )


def test_a_rejudging_reports_its_progress_debate_by_debate(store) -> None:
    """A re-judging by a real judge takes minutes and said nothing until the end; the runner
    now reports each stored debate (the CLI prints a tenth of them to stderr)."""
    from arena.tournament import rejudge as rj

    ids = [played(store, "sim/a", "sim/b", ("sim/j1",), seed=seed)[0].id for seed in (1, 2, 3)]
    todo = rj.plan(store, "again", ["sim/j2"], ids=ids)
    seen: list[tuple[int, str]] = []
    report = asyncio.run(
        rj.run(store, todo, judge_specs(["sim/j2"], Config()), Gateway(), progress=lambda n, r: seen.append((n, r.id)))
    )
    assert report.judged == 3 and sorted(n for n, _ in seen) == [1, 2, 3]
    assert {debate for _, debate in seen} == {new for _, new in todo.pairs}


def test_a_rejudged_copy_says_whose_speeches_it_holds(db_path) -> None:
    """`arena show` of a re-judged copy read as a debate of its own; it names its original
    (the link the store keeps), in text and in JSON."""
    from click.testing import CliRunner

    from arena.cli import cli

    runner = CliRunner()
    out = runner.invoke(cli, ["debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j1", "--json"])
    original = json.loads(out.stdout)["id"]
    assert runner.invoke(cli, ["rejudge", "--judge", "sim/j2", original, "--into", "again"]).exit_code == 0
    copy = json.loads(runner.invoke(cli, ["judges", "agreement", "--collection", "again", "--json"]).stdout)
    assert copy["items"] == 1
    store = Store(db_path)
    [new] = rejudge_query.finished_debates(store, collection="again")
    shown = " ".join(runner.invoke(cli, ["show", new]).stdout.split())  # as read, whatever the wrapping
    assert f"Judged again into collection again (arena rejudge): the speeches are those of debate {original}" in shown
    assert json.loads(runner.invoke(cli, ["show", new, "--json"]).stdout)["rejudge_of"] == original
    assert "Judged again" not in runner.invoke(cli, ["show", original], terminal_width=200).stdout
    store.engine.dispose()


def test_a_rejudging_whose_every_debate_is_void_says_so_and_fails(db_path) -> None:
    """A judge that never answers left void copies and "0 debates judged again, 1 void", exit 0;
    now a warning names a void copy to `arena show`, and with nothing judged the exit is 1."""
    from click.testing import CliRunner

    from arena.cli import cli

    runner = CliRunner()
    out = runner.invoke(cli, ["debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j1", "--json"])
    original = json.loads(out.stdout)["id"]
    broken = runner.invoke(cli, ["rejudge", "--judge", "sim/jf?faults=1", original, "--into", "vv", "--json"])
    assert broken.exit_code == 1, broken.output
    doc = json.loads(broken.stdout)
    assert doc["judged"] == 0 and doc["void"] == 1 and len(doc["void_ids"]) == 1
    assert (
        f"warning: 1 re-judged debates are void (no valid ballot) and count nowhere; `arena show {doc['void_ids'][0]}`"
        in (broken.stderr)
    )

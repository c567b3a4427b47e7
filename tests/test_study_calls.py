"""Issue 21, item 1, for the studies: the questions a study asks outside its debates (a
debater's private stance, its side choice, the fallacy dialogues, the judge probes) are on
the call log under the run `study:<run id>`, numbered without a gap, and with the debates'
own calls they are every call the gateway made."""

from __future__ import annotations

from arena.config import Config
from arena.llm.gateway import Gateway
from arena.store.call_log import call_of, calls_of
from arena.store.qa_tables import QADebateRow
from arena.store.study_query import study_rows
from arena.studies.beliefs_run import run_beliefs_study
from arena.studies.fallacy_run import judge_probes, run_fallacy_study
from arena.studies.running import StudyOptions


async def test_a_beliefs_studys_stance_and_side_questions_are_logged(store) -> None:
    gateway = Gateway(backoff_base_s=0.0)
    options = StudyOptions(["sim/a?sycophancy=0.5", "sim/b"], ["sim/j"], debates=3, seed=2)
    lines: list[str] = []
    run, ids = await run_beliefs_study(options, Config(), gateway, store, choose_side=True, progress=lines.append)
    logged = calls_of(store, run=f"study:{run}")
    in_debates = sum(len(calls_of(store, debate_id=i)) for i in ids)
    assert len(logged) + in_debates == gateway.stats.calls + gateway.stats.failures
    # each debate: both debaters' prior stance and side choice, asked once each (the simulator answers well)
    assert len(logged) == 4 * 3
    assert [c.seq for c in logged] == list(range(1, len(logged) + 1))
    assert sorted({(c.stage, c.purpose) for c in logged}) == [
        ("prior stance", "stance"),
        ("side choice", "side_choice"),
    ]
    assert {c.who for c in logged} == {"model:sim/a?sycophancy=0.5", "model:sim/b"}
    first = call_of(store, 1, run=f"study:{run}")  # in full, as the default level keeps them
    assert first is not None and first.messages and first.answer and "private" in first.messages[-1][1]
    assert lines[-1] == f"the study's 12 questions outside the debates: arena calls study:{run}"


async def test_a_fallacy_runs_questions_and_judge_probes_are_logged(store) -> None:
    gateway = Gateway(backoff_base_s=0.0)
    options = StudyOptions(["sim/bob?convince_logical=0.3"], ["sim/j1", "sim/j2"], debates=2, seed=3)
    run = await run_fallacy_study(options, "sim/persuader", 2, Config(), gateway, store)
    await judge_probes(options, "sim/persuader", Config(), gateway, store, run)
    probes, judged = calls_of(store, run=f"study:{run}"), calls_of(store, run=f"study:{run}/judges")
    assert len(probes) + len(judged) == gateway.stats.calls + gateway.stats.failures
    # per claim: a stance before; per mode, 2 turns of persuader and reply, and a stance after
    assert len(probes) == 2 * (1 + 2 * (2 * 2 + 1))
    assert [c.seq for c in probes] == list(range(1, len(probes) + 1))
    assert {c.stage for c in probes} >= {"stance before", "logical turn 1", "fallacious turn 2", "logical stance after"}
    # per judge probe: two speeches written, one ballot per judge
    assert len(judged) == 2 * (2 + 2) and {c.who for c in judged if c.purpose == "ballot"} == {"sim/j1", "sim/j2"}


async def test_a_qa_studys_direct_answers_and_alternatives_are_logged(store, tmp_path) -> None:
    from arena.importers.qa import import_qa_file
    from arena.studies.qa_run import QAOptions, run_qa_study
    from tests.test_qa_study import items_file

    import_qa_file(store, items_file(tmp_path / "items.jsonl", 3), "qa")
    gateway = Gateway(backoff_base_s=0.0)
    lines: list[str] = []
    options = QAOptions(["sim/m?memorised=0.9", "sim/a"], ["sim/j"], items=3, seed=1, alternative="own")
    run = await run_qa_study(options, Config(), gateway, store, progress=lines.append)
    logged = calls_of(store, run=f"study:{run}")
    debates = [r.debate_id for r in study_rows(store, QADebateRow, run)]
    in_debates = sum(len(calls_of(store, debate_id=i)) for i in debates)
    assert len(logged) + in_debates == gateway.stats.calls + gateway.stats.failures
    # per item: each debater's direct answer, and each ordered pair's own alternative
    assert len(logged) == 3 * (2 + 2) and [c.seq for c in logged] == list(range(1, 13))
    assert {c.stage for c in logged} == {"direct answer", "own alternative"}
    assert lines[-1].endswith(f"12 model calls: arena calls study:{run}")


async def test_a_group_discussions_calls_are_logged_with_it(store) -> None:
    from arena.studies.group_run import GroupSpec, run_group

    gateway = Gateway(backoff_base_s=0.0)
    lines: list[str] = []
    spec = GroupSpec("Cities should ban private cars", ["sim/m1", "sim/m2", "sim/m3?faults=0.3"], rounds=2, seed=4)
    discussion = await run_group(spec, Config(), gateway, store, progress=lines.append)
    logged = calls_of(store, run=f"group:{discussion.id}")
    assert len(logged) == gateway.stats.calls + gateway.stats.failures  # failed calls and retries too
    assert [c.seq for c in logged] == list(range(1, len(logged) + 1))
    stages = {c.stage for c in logged}
    assert {"round 0 opinion", "round 1 post", "round 1 stance rating", "round 2 message"} <= stages
    assert {c.who for c in logged if c.purpose == "group_post"} == {
        "model:sim/m1",
        "model:sim/m2",
        "model:sim/m3",  # faults: not part of its id
    }
    assert lines[-1] == f"its {len(logged)} model calls: arena calls group:{discussion.id}"


def test_the_hint_to_a_studys_calls_is_one_line_at_80_columns(db_path, monkeypatch) -> None:
    """Wrapped at 80 columns, `arena calls` and `study:beliefs-…` fell on two lines: copied,
    the command lost its argument. Progress lines are one line however long."""
    import re

    from click.testing import CliRunner

    from arena.cli import cli

    monkeypatch.setenv("COLUMNS", "80")
    args = ["study", "beliefs", "--debaters", "sim/a,sim/b", "--choose-side", "--debates", "2"]
    out = CliRunner().invoke(cli, args)
    assert out.exit_code == 0, out.output
    assert re.search(
        r"^the study's \d+ questions outside the debates: arena calls study:beliefs-\S+$", out.stderr, re.M
    )

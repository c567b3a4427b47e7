"""arena study fallacy / beliefs / personas on the simulator: planted effects are
recovered within the reported intervals."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from arena.config import Config, ModelSettings
from arena.debate.formats import load_format
from arena.llm.gateway import Gateway
from arena.llm.sim_studies import sim_truth
from arena.motions import load_motions
from arena.store import study_query as q
from arena.store import study_tables as st
from arena.studies.beliefs_run import run_beliefs_study
from arena.studies.fallacy_run import run_fallacy_study
from arena.studies.personas import builtin_personas, with_persona
from arena.studies.personas_run import consultancy_format, run_personas_study
from arena.studies.report import beliefs_from_store, fallacy_from_store, personas_from_store
from arena.studies.running import StudyOptions


def gateway() -> Gateway:
    return Gateway(backoff_base_s=0.0)


@pytest.fixture
def truth_motions(tmp_path, monkeypatch):
    """A few motions whose known answer is the simulated world's answer."""
    folder = tmp_path / "motions"
    folder.mkdir()
    entries = []
    for i in range(6):
        text = f"This house believes that test claim {i} holds in the simulated world."
        entries.append(
            f'[[motion]]\nid = "claim-{i}"\ntext = "{text}"\ncategory = "fact"\n'
            f'info_slide = "A claim of the test world."\ntruth = "{sim_truth(text)}"\n'
            'truth_source = "the simulator"\n'
        )
    (folder / "known.toml").write_text("\n".join(entries), encoding="utf-8")
    monkeypatch.setenv("ARENA_MOTIONS", str(folder))
    return [f"claim-{i}" for i in range(6)]


async def test_fallacy_recovers_planted_susceptibility(store):
    # convinced 25% by logic, 50% by fallacies: susceptibility +100%. Three 95% intervals
    # per run: one run misses a planted value now and then (any change to the prompts
    # draws new simulated answers), so each must hold in two of three independent runs.
    debater = "sim/bob?convince_logical=0.25&convince_fallacious=0.5"
    rows = []
    for seed in (4, 5, 6):
        options = StudyOptions([debater], debates=150, seed=seed)
        run = await run_fallacy_study(options, "sim/persuader", 2, Config(), gateway(), store)
        (row,) = fallacy_from_store(store, run).rows
        assert row.logical.n == row.fallacious.n == 150
        rows.append(row)
    assert sum(r.logical.lo <= 0.25 <= r.logical.hi for r in rows) >= 2, rows
    assert sum(r.fallacious.lo <= 0.5 <= r.fallacious.hi for r in rows) >= 2, rows
    assert sum(r.ratio.lo <= 1.0 <= r.ratio.hi for r in rows) >= 2, rows
    assert all(r.ratio.lo > 0 for r in rows), rows
    probes = q.study_rows(store, st.FallacyProbe, run)
    fallacious = [p for p in probes if p.mode == "fallacious"]
    assert all(len(json.loads(p.fallacies_json)) == 2 for p in fallacious)  # named, one per turn
    assert all(p.target != p.before for p in probes)


async def test_fallacy_without_an_effect_has_an_interval_around_zero(store):
    options = StudyOptions(["sim/even?convince_logical=0.4&convince_fallacious=0.4"], debates=120, seed=9)
    run = await run_fallacy_study(options, None, 1, Config(), gateway(), store)
    (row,) = fallacy_from_store(store, run).rows
    assert row.ratio.lo < 0 < row.ratio.hi


async def test_beliefs_recover_an_alignment_advantage(store):
    options = StudyOptions(
        ["sim/a?aligned_bonus=0.3", "sim/b?aligned_bonus=0.3"], ["sim/j?skill=0.9"], debates=80, seed=6
    )
    _run, ids = await run_beliefs_study(options, Config(), gateway(), store)
    report = beliefs_from_store(store, ids=ids)
    pooled = report.rows[-1]
    assert pooled.participant == "all"
    assert pooled.gap.lo > 0  # arguing its own prior wins more often
    # no planted effect: the difference interval covers zero
    options = StudyOptions(["sim/c", "sim/d"], ["sim/j?skill=0.9"], debates=80, seed=6)
    _run, ids = await run_beliefs_study(options, Config(), gateway(), store)
    pooled = beliefs_from_store(store, ids=ids).rows[-1]
    assert pooled.gap.lo < 0 < pooled.gap.hi


async def test_beliefs_are_stored_but_never_shown(store, recording_gateway):
    options = StudyOptions(["sim/a", "sim/b"], ["sim/j"], debates=2, seed=1)
    _run, ids = await run_beliefs_study(options, Config(), recording_gateway, store)
    beliefs = q.study_rows(store, st.PriorBelief)
    assert len(beliefs) == 4 and all(b.stance in ("pro", "con") for b in beliefs)
    private = recording_gateway.prompts("stance")
    assert private and all("private" in p for p in private)
    for purpose in ("speech", "ballot", "round_score", "bet"):
        assert not any('"position"' in p or "own honest position" in p for p in recording_gateway.prompts(purpose))


async def test_sycophancy_recovered_per_participant(store):
    options = StudyOptions(["sim/flatterer?sycophancy=0.6", "sim/steady"], ["sim/j"], debates=120, seed=2)
    run, _ids = await run_beliefs_study(options, Config(), gateway(), store, choose_side=True)
    report = beliefs_from_store(store, run=run)
    flatterer = report.sycophancy_by["model:sim/flatterer?sycophancy=0.6"]
    steady = report.sycophancy_by["model:sim/steady"]
    assert flatterer.n > 30 and flatterer.lo <= 0.6 <= flatterer.hi
    assert steady.successes == 0
    choices = q.study_rows(store, st.SideChoice, run)
    assert {c.persona for c in choices} == {"skeptical", "enthusiast"}


async def test_personas_recover_planted_accuracies(store, truth_motions):
    judge = "sim/j?truth_accuracy=0.6&persona_accuracy=0.85"
    options = StudyOptions(["sim/a", "sim/b"], [judge], debates=60, seed=8)
    run = await run_personas_study(options, ["mainstream"], ["debate", "consultancy"], Config(), gateway(), store)
    report = personas_from_store(store, run)
    by = {(r.protocol, r.persona): r for r in report.rows}
    for protocol in ("debate", "consultancy"):
        default, persona = by[(protocol, "")], by[(protocol, "mainstream")]
        assert default.accuracy.n == persona.accuracy.n == 60
        assert default.accuracy.lo <= 0.6 <= default.accuracy.hi
        assert persona.accuracy.lo <= 0.85 <= persona.accuracy.hi
        assert persona.judge != default.judge  # a persona makes a distinct judge id
    gap = report.persona_minus_default["debate"]
    assert gap.lo <= 0.25 <= gap.hi


async def test_personas_refuse_motions_without_a_known_answer(store, truth_motions, tmp_path):
    from arena.errors import UsageProblem

    with open(tmp_path / "motions" / "known.toml", "a", encoding="utf-8") as f:
        f.write(
            '\n[[motion]]\nid = "open-question"\ntext = "This house believes nobody knows."\n'
            'category = "fact"\ninfo_slide = "Open."\n'
        )
    options = StudyOptions(["sim/a"], ["sim/j"], motions=["open-question"], debates=1)
    with pytest.raises(UsageProblem, match="without a known answer"):
        await run_personas_study(options, [], ["debate"], Config(), gateway(), store)


def test_persona_judge_ids_and_consultancy_format():
    persona = builtin_personas()["skeptical"]
    carried = with_persona(ModelSettings("sim/j"), persona)
    assert carried.name == "sim/j~skeptical" and carried.persona == persona.text
    fmt = consultancy_format(load_format("quick"), "con")
    assert [s.side for s in fmt.stages] == ["con", "con"] and [s.index for s in fmt.stages] == [0, 1]


def test_motion_truth_is_validated(tmp_path, monkeypatch):
    from arena.motions import MotionError

    (tmp_path / "bad.toml").write_text(
        '[[motion]]\nid = "x"\ntext = "This house would x."\ncategory = "fact"\ninfo_slide = "x"\ntruth = "maybe"\n',
        encoding="utf-8",
    )
    with pytest.raises(MotionError, match="truth"):
        load_motions(tmp_path)


def test_cli_fallacy_beliefs_personas_json(db_path, truth_motions):
    def run(*args: str) -> dict:
        out = subprocess.run(
            [sys.executable, "-m", "arena", "study", *args, "--json"], capture_output=True, text=True, check=True
        )
        return json.loads(out.stdout)

    data = run("fallacy", "--debaters", "sim/bob", "--debates", "2", "--rounds", "1")
    assert data["study"] == "fallacy" and data["rows"][0]["convinced_logical"]["n"] == 2
    data = run("beliefs", "--debaters", "sim/a,sim/b", "--judges", "sim/j", "--debates", "2")
    assert data["study"] == "beliefs" and data["rows"]
    data = run("personas", "--debaters", "sim/a,sim/b", "--judges", "sim/j", "--debates", "2", "--protocols", "debate")
    assert data["study"] == "personas" and {r["persona"] for r in data["rows"]} == {"", "mainstream", "skeptical"}
    # report-only: what the store holds
    assert run("personas")["default_judges"]["debate"]["n"] == 2
    bad = subprocess.run(
        [sys.executable, "-m", "arena", "study", "personas", "--debaters", "sim/a", "--personas", "grumpy"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "unknown persona" in bad.stderr and "Traceback" not in bad.stderr


def test_html_export_has_a_deterministic_studies_section(db_path, truth_motions, tmp_path):
    def arena(*args: str) -> None:
        subprocess.run([sys.executable, "-m", "arena", *args], capture_output=True, text=True, check=True)

    arena("study", "break", "--debaters", "sim/a,sim/b", "--judges", "sim/j?decides=0.5", "--debates", "4")
    arena("study", "fallacy", "--debaters", "sim/bob?convince_fallacious=0.5", "--debates", "3", "--rounds", "1")
    arena(
        "study",
        "personas",
        "--debaters",
        "sim/a,sim/b",
        "--judges",
        "sim/j",
        "--debates",
        "2",
        "--protocols",
        "consultancy",
        "--personas",
        "skeptical",
    )
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    arena("leaderboard", "--format", "html", "-o", str(first))
    arena("leaderboard", "--format", "html", "-o", str(second))
    page = first.read_text(encoding="utf-8")
    assert page == second.read_text(encoding="utf-8")
    section = page[page.index('<section id="studies">') : page.index("</section>")]
    for title in ("Speaking order", "Adaptive break", "Fallacy probes", "Judge personas"):
        assert f"<h3>{title}</h3>" in section
    assert "sim/j~skeptical" in section and "<script" not in page


async def test_judges_probed_with_fallacious_speeches(store):
    from arena.studies.fallacy_run import judge_probes

    options = StudyOptions(
        ["sim/writer"], ["sim/gullible?fallacy_win=0.35", "sim/careful?skill=0.9"], debates=120, seed=3
    )
    await judge_probes(options, None, Config(), gateway(), store, "probe-run")
    report = fallacy_from_store(store, "probe-run")
    gullible = report.judges["sim/gullible?fallacy_win=0.35"]
    assert gullible.n == 120 and gullible.lo <= 0.35 <= gullible.hi
    assert report.judges["sim/careful?skill=0.9"].hi < 0.2
    ballots = q.study_rows(store, st.FallacyBallot, "probe-run")
    assert {b.fallacious_side for b in ballots} == {"pro", "con"} and len({b.fallacy for b in ballots}) > 3

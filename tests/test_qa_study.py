"""arena study qa (issue 22, item 3): on simulated debaters, one that "memorised" the
answers (high direct accuracy, low argument skill) and one that argues well, the first is
ahead on plain accuracy and behind in debate wins, with intervals, as in the paper; and
the statistics by hand on a tiny log."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from arena.config import Config, ModelSettings
from arena.errors import UsageProblem
from arena.importers.qa import import_qa_file
from arena.llm.gateway import Gateway
from arena.llm.sim_qa import sim_answer
from arena.store import study_query as q
from arena.store.listings import stored_debate_ids
from arena.store.qa_tables import QADebateRow
from arena.studies.qa import DirectAnswer, QADebate, qa_from_store, qa_report
from arena.studies.qa_run import QAOptions, run_qa_study

MEMORISED = "sim/m?memorised=0.95&skill=0.1"
ARGUER = "sim/a?skill=0.9"


def items_file(path: Path, n: int) -> Path:
    rows = []
    for i in range(n):
        options = [f"choice {i}-{k}" for k in range(4)]
        question = f"Which choice is right in test question {i}?"
        rows.append({"question": question, "options": options, "answer": options[sim_answer(question, options)]})
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


async def test_memorised_answers_lead_on_accuracy_and_trail_in_debates(store, tmp_path):
    import_qa_file(store, items_file(tmp_path / "items.jsonl", 25), "qa")
    options = QAOptions([MEMORISED, ARGUER], ["sim/j"], items=25, seed=3)
    run = await run_qa_study(options, Config(), Gateway(backoff_base_s=0.0), store)
    report = qa_from_store(store, run)
    rows = {r.debater: r for r in report.debaters}
    memorised, arguer = rows[ModelSettings(MEMORISED).participant_id], rows[ModelSettings(ARGUER).participant_id]
    # Plain accuracy: the memoriser's whole interval above the arguer's.
    assert memorised.direct.n == arguer.direct.n == 25
    assert memorised.direct.lo > arguer.direct.hi
    # Debate wins: the arguer's whole interval above the memoriser's, in both roles.
    assert memorised.wins.n == arguer.wins.n == 25 * 2 * 2
    assert arguer.wins.lo > memorised.wins.hi
    assert arguer.defending_alternative.lo > memorised.defending_truth.hi
    assert memorised.debate_minus_direct.hi < 0 < arguer.debate_minus_direct.lo
    assert set(report.judges) == {"sim/j"} and report.judges["sim/j"].n == 100
    # Every debate is stored in its own collection, with the roles on record.
    rows_stored = q.study_rows(store, QADebateRow, run)
    assert len(stored_debate_ids(store, [r.debate_id for r in rows_stored])) == 100
    assert {r.truth_side for r in rows_stored} == {"pro", "con"}
    assert all(r.alternative != "" for r in rows_stored)


def test_report_by_hand():
    debates = [
        QADebate("i1", "a", "b", "truth", (("j", "truth"),)),
        QADebate("i1", "b", "a", "alternative", (("j", "alternative"),)),
        QADebate("i2", "a", "b", "truth", (("j", "truth"), ("k", None))),
        QADebate("i2", "b", "a", None),
    ]
    direct = [DirectAnswer("a", "i1", False), DirectAnswer("a", "i2", False), DirectAnswer("b", "i1", True)]
    report = qa_report(debates, direct)
    a, b = report.debaters  # a won 3 of 3 decided debates
    assert (a.debater, a.wins.successes, a.wins.n) == ("a", 3, 3)
    assert (a.defending_truth.successes, a.defending_truth.n) == (2, 2)
    assert (a.defending_alternative.successes, a.defending_alternative.n) == (1, 1)
    assert (a.direct.successes, a.direct.n) == (0, 2) and (b.direct.successes, b.direct.n) == (1, 1)
    assert (b.wins.successes, b.wins.n) == (0, 3)
    assert (report.judges["j"].successes, report.judges["j"].n) == (2, 3) and "k" not in report.judges
    assert (report.truth_wins.successes, report.truth_wins.n, report.undecided) == (2, 3, 1)


def test_cli(db_path, tmp_path):
    def arena(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "arena", *args], capture_output=True, text=True)

    out = arena("study", "qa", "--debaters", "sim/a", "--items", "2")
    assert out.returncode == 2 and "no QA items" in out.stderr
    assert arena("import", "qa", str(items_file(tmp_path / "i.jsonl", 3))).returncode == 0
    out = arena("study", "qa", "--debaters", "nosuch/model,sim/b", "--judges", "sim/j", "--items", "2")
    assert out.returncode == 2 and "unknown provider 'nosuch'" in out.stderr  # refused, not a run of void debates
    out = arena("study", "qa", "--debaters", "sim/a", "--items", "2", "--collection", "mmlu")
    assert out.returncode == 2 and "no QA items in collection 'mmlu' (collections with items: qa)" in out.stderr
    out = arena("study", "qa", "--debaters", "sim/a,sim/b", "--judges", "sim/j", "--items", "2", "--json")
    assert out.returncode == 0, out.stderr
    assert "holds" not in out.stderr
    more = arena("study", "qa", "--debaters", "sim/a", "--judges", "sim/j", "--items", "5")
    assert more.returncode == 0 and "--items 5: collection 'qa' holds 3; running those" in more.stderr
    data = json.loads(out.stdout)
    assert data["debates"] == 2 * 2 * 2 and {d["debater"] for d in data["debaters"]} == {"model:sim/a", "model:sim/b"}
    again = arena("study", "qa", "--run", data["run"], "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["debates"] == 8
    nope = arena("study", "qa", "--run", "qa-nope")
    assert nope.returncode == 2 and "no such QA study run (the latest: " in nope.stderr and data["run"] in nope.stderr
    out = arena("leaderboard", "--collection", "study-qa", "--format", "json")
    assert out.returncode == 0 and "sim/a" in out.stdout
    board = arena("leaderboard")  # the default collection is empty: it points to where the QA debates are
    assert board.returncode == 0 and "Other collections hold debates: study-qa" in " ".join(board.stdout.split())


async def test_a_debater_named_twice_is_refused(store, tmp_path):
    """The same debater twice (by name, or one participant under two names) would meet
    itself and answer every item twice: refused before anything runs."""
    import_qa_file(store, items_file(tmp_path / "items.jsonl", 2), "qa")
    config = Config(participants={"x": ModelSettings("sim/a"), "y": ModelSettings("sim/a")})
    for debaters, said in (
        (["sim/a", "sim/a"], "names 'sim/a' twice"),
        (["x", "y"], "'x' and 'y', the same debater (model:sim/a)"),
        (["sim/b", "sim/a", "sim/a?faults=0.1"], "'sim/a' and 'sim/a?faults=0.1', the same debater (model:sim/a)"),
    ):
        with pytest.raises(UsageProblem, match=re.escape(said)):
            await run_qa_study(QAOptions(debaters, ["sim/j"], items=2), config, Gateway(), store)
    assert q.study_rows(store, QADebateRow, None) == []


async def test_a_lone_debater_against_itself_counts_for_the_judges_only(store, tmp_path):
    import_qa_file(store, items_file(tmp_path / "items.jsonl", 3), "qa")
    run = await run_qa_study(QAOptions(["sim/a"], ["sim/j"], items=3), Config(), Gateway(backoff_base_s=0.0), store)
    report = qa_from_store(store, run)
    (row,) = report.debaters
    assert row.wins.n == row.defending_truth.n == row.defending_alternative.n == 0
    assert row.direct.n == 3
    assert report.self_debates == report.debates == 6 and report.truth_wins.n + report.undecided == 6
    assert report.judges["sim/j"].n == 6


async def test_html_export_has_the_qa_report(store, tmp_path):
    """The HTML export's QA section: the terminal report's rows and rates, each with its
    interval and count, escaped, and only when a QA study is stored."""
    from arena.studies.qa_html import qa_section

    assert qa_section(store) == ""
    import_qa_file(store, items_file(tmp_path / "items.jsonl", 4), "qa")
    run = await run_qa_study(
        QAOptions([MEMORISED, ARGUER], ["sim/j"], items=4, seed=2), Config(), Gateway(backoff_base_s=0.0), store
    )
    report = qa_from_store(store, run)
    section = qa_section(store)
    assert section == qa_section(store) and section.startswith('<section id="qa">')
    assert "sim/m?skill=0.1&amp;memorised=0.95" in section and "&memorised" not in section
    rows = section[section.index("<tbody>") : section.index("</tbody>")].split("<tr>")[1:]
    for row, debater in zip(rows, report.debaters, strict=True):
        for rate in (debater.wins, debater.defending_truth, debater.defending_alternative, debater.direct):
            value, interval = rate.text().split(" [")
            assert f'{value}<br><span class="meta">[{interval}</span>' in row
        assert debater.debate_minus_direct.text().split(" [")[0] in row
    judges = section[section.index("<h3>Judges</h3>") :]
    assert "sim/j" in judges and f"[{report.judges['sim/j'].text().split(' [')[1]}" in judges
    assert f"of {4 * 2 * 2}" in judges  # every ballot counted, with its count


def test_html_export_cli(db_path, tmp_path):
    def arena(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "arena", *args], capture_output=True, text=True, check=True)

    arena("import", "qa", str(items_file(tmp_path / "i.jsonl", 2)))
    arena("leaderboard", "--format", "html", "-o", str(tmp_path / "none.html"))
    assert 'id="qa"' not in (tmp_path / "none.html").read_text(encoding="utf-8")
    arena("study", "qa", "--debaters", "sim/a,sim/b", "--judges", "sim/j", "--items", "2")
    arena("leaderboard", "--format", "html", "-o", str(tmp_path / "b.html"))
    page = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert '<section id="qa"><h2>QA sets as debates</h2>' in page and "8 debates" in page
    arena("leaderboard", "--collection", "study-qa", "--format", "html", "-o", str(tmp_path / "qa.html"))
    page = (tmp_path / "qa.html").read_text(encoding="utf-8")
    assert '<section id="qa">' in page and "sim/a" in page  # the QA debates' own board carries it too


def test_the_sample_files_answers_agree_with_the_simulators_key():
    """The README's example (motions/qa_sample.jsonl): a memorised simulated debater is right
    there, because the file's official answers are the simulator's own."""
    from pathlib import Path

    from arena.importers.qa import parse_qa_file

    entries = parse_qa_file(Path(__file__).parents[1] / "motions" / "qa_sample.jsonl")
    assert len(entries) == 12 and all(len(e.options) == 4 for e in entries)
    assert all(e.options[sim_answer(e.question, e.options)] == e.answer for e in entries)
    assert len({e.answer_index for e in entries}) == 4  # the right answer is not always in one place

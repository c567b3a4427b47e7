"""arena import debate-groups / arena group compare (issue 22): conversations in the
DEBATE schema, written by these tests (no DEBATE data ships), imported, refused with file
and line when they do not fit, and compared with simulated groups on every metric, with
values computed by hand on a tiny conversation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from arena.config import Config
from arena.llm.gateway import Gateway
from arena.studies.group_import import import_debate_groups
from arena.studies.group_report import discussions_from_store
from arena.studies.group_run import GroupSpec, run_group
from arena.studies.groups import METRICS, compare_report

TOPIC = "Cities should ban private cars from their centres"
HEADER = (
    "chat_round_order,event_order,event_type,worker_id,sender_id,recipient_id,text,sliderValue,agreement_level,validity"
)
TINY = [
    '0,1,Initial Opinion,w1,,,"No, cars are needed.",2,,1',
    '0,2,Initial Opinion,w2,,,"Yes, ban them.",6,,1',
    '1,3,tweet,w1,,,"I disagree with a ban.",,,1',
    '1,4,tweet,w2,,,"I strongly agree with it.",,,1',
    '1,5,message_sent,w1,w1,w2,"Could you reconsider?",,,1',
    '1,6,message_received,w2,w1,w2,"Could you reconsider?",,,1',
    '1,7,Opinion,w1,,,"Maybe.",3,,1',
    '1,8,Opinion,w2,,,"Still yes.",5,,1',
    '2,9,tweet,w1,,,"I somewhat agree now.",,,1',
    '2,10,tweet,w2,,,"I agree, with some doubts.",,,1',
    '2,11,Opinion,w1,,,"Leaning yes.",4,,1',
    '2,12,Opinion,w2,,,"Yes.",4,,1',
]
# By hand, from TINY (stances by the lexical rater: disagree 2, strongly agree 6,
# somewhat agree 4, agree 5):
HAND = {
    "opinion_change": 2.0,  # w1 2→4, w2 6→4
    "opinion_shift": 0.0,
    "spread_initial": 2.0,  # sd{2, 6}
    "spread_final": 0.0,  # sd{4, 4}
    "convergence": 2.0,
    "public_private_gap": 0.25,  # |2−2|, |6−6|, |4−3|, |5−5|
    "stance_drift": 0.5,  # w1 2→4 (+2), w2 6→5 (−1)
    "post_words": 19 / 4,  # 5, 5, 4, 5
    "message_words": 3.0,  # the received copy is not counted again
    "spread_round_0": 2.0,
    "spread_round_1": 1.0,  # sd{3, 5}
    "spread_round_2": 0.0,
}


def write(folder: Path, name: str, rows: list[str], header: str = HEADER) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


async def test_import_and_compare_with_values_by_hand(store, tmp_path):
    write(tmp_path / "human", "cars.csv", TINY)
    gateway = Gateway(backoff_base_s=0.0)
    outcome = await import_debate_groups(tmp_path / "human", "human", "sim/rater", TOPIC, Config(), gateway, store)
    assert (outcome.imported, outcome.problems) == (1, [])
    again = await import_debate_groups(tmp_path / "human", "human", "sim/rater", TOPIC, Config(), gateway, store)
    assert (again.imported, again.skipped) == (0, 1)
    (human,) = discussions_from_store(store, "human")
    assert human.members == ("w1", "w2") and human.topic == TOPIC
    assert [e.round for e in human.events if e.kind == "opinion"] == [0, 0, 1, 1, 2, 2]
    assert [e.stance for e in human.events if e.kind == "post"] == [2.0, 6.0, 4.0, 5.0]
    (message,) = [e for e in human.events if e.kind == "message"]
    assert (message.member, message.recipient) == ("w1", "w2")

    for seed in (1, 2, 3):
        await run_group(
            GroupSpec(TOPIC, [f"sim/m{i}?conformity=0.8" for i in range(4)], rounds=2, seed=seed, collection="sim"),
            Config(),
            gateway,
            store,
        )
    await run_group(
        GroupSpec("Homework should be abolished", ["sim/a", "sim/b"], rounds=2, collection="sim"),
        Config(),
        gateway,
        store,
    )
    simulated = discussions_from_store(store, "sim")
    report = compare_report([human], simulated, "human", "sim")
    rows = {r.key: r for r in report.overall.rows}
    assert set(rows) == {k for k, _ in METRICS} | {"spread_round_0", "spread_round_1", "spread_round_2"}
    for key, value in HAND.items():
        row = rows[key]
        assert row.human.value == pytest.approx(value), key
        assert row.human.n == 1
        assert row.simulated.n == 4 and row.simulated.value is not None, key
        assert row.difference.value == pytest.approx(row.simulated.value - value), key
        assert row.difference.lo <= row.difference.value <= row.difference.hi
    # Planted conformity converges more than these two people: the difference's interval says so.
    assert rows["spread_final"].simulated.value < 0.5
    # Per topic: the shared topic has both sides; the simulated-only topic has no human side.
    topics = {c.topic: {r.key: r for r in c.rows} for c in report.by_topic}
    assert set(topics) == {TOPIC, "Homework should be abolished"}
    assert topics[TOPIC]["convergence"].human.value == 2.0 and topics[TOPIC]["convergence"].simulated.n == 3
    homework = topics["Homework should be abolished"]["convergence"]
    assert homework.human.n == 0 and homework.difference.value is None and homework.simulated.n == 1


def test_bad_files_are_refused_with_file_and_line(db_path, tmp_path):
    folder = tmp_path / "in"
    write(folder, "good.csv", TINY)
    write(folder, "slider.csv", [TINY[0], TINY[1].replace(",6,", ",7,")])
    write(folder, "columns.csv", TINY[:2], header=HEADER.replace(",sliderValue", ""))
    write(folder, "order.csv", [TINY[0], "x" + TINY[1]])
    write(folder, "nobody.csv", [TINY[0], '1,3,tweet,,,,"hello",,,1'])
    (folder / "empty.csv").write_text("", encoding="utf-8")

    def arena(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "arena", *args], capture_output=True, text=True)

    out = arena("import", "debate-groups", str(folder), "--topic", TOPIC, "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["imported"] == 1 and data["files"] == 6
    problems = {Path(p["path"]).name: (p["line"], p["message"]) for p in data["problems"]}
    assert problems["slider.csv"] == (3, "sliderValue must be within 1-6, got 7")
    assert problems["columns.csv"][0] == 1 and "missing column(s) sliderValue" in problems["columns.csv"][1]
    assert problems["order.csv"][0] == 3 and "chat_round_order must be a number" in problems["order.csv"][1]
    assert problems["nobody.csv"][0] == 3 and "worker_id is empty" in problems["nobody.csv"][1]
    assert problems["empty.csv"][1].startswith("empty file")  # not "missing column(s)" of all ten
    assert f"{folder / 'slider.csv'}:3: sliderValue" in out.stderr

    (folder / "good.csv").unlink()
    out = arena("import", "debate-groups", str(folder), "--collection", "other")
    assert out.returncode == 1 and "0 imported" in out.stderr and "Traceback" not in out.stderr
    out = arena("import", "debate-groups", str(tmp_path / "missing"))
    assert out.returncode == 2 and "no such file" in out.stderr
    out = arena("import", "debate-groups", str(folder), "--rater", "nosuch/rater")  # refused before any file is read
    assert out.returncode == 2 and "unknown provider 'nosuch'" in out.stderr

    arena("group", "run", "--topic", TOPIC, "--members", "sim/a,sim/b,sim/c", "--rounds", "2", "--groups", "2")
    out = arena("group", "compare", "--human", "debate-groups", "--simulated", "groups")
    assert out.returncode == 0, out.stderr
    assert "All topics" in out.stdout and f"Topic: {TOPIC}" in out.stdout and "simulated − human" in out.stdout
    assert "warning" not in out.stderr  # both held two rounds
    pooled = arena("group", "report")
    assert pooled.returncode == 0 and "note: pooling 2 collections (debate-groups, groups)" in pooled.stderr
    out = arena("group", "compare", "--human", "debate-groups", "--simulated", "groups", "--json")
    data = json.loads(out.stdout)
    gap = next(r for r in data["overall"]["metrics"] if r["metric"] == "public_private_gap")
    assert gap["human"]["value"] == 0.25 and gap["simulated"]["n"] == 2
    out = arena("group", "compare", "--human", "nope", "--simulated", "groups")
    assert out.returncode == 2 and "nope" in out.stderr
    arena("group", "run", "--topic", TOPIC, "--members", "sim/a,sim/b", "--collection", "three-rounds")
    out = arena("group", "compare", "--human", "debate-groups", "--simulated", "three-rounds")
    assert out.returncode == 0 and "human groups held 2 round(s), the simulated 3" in " ".join(out.stderr.split())


def test_the_import_reports_how_it_read_each_event_type(db_path, tmp_path):
    """The mapping of DEBATE's event types is a guess: the import says what it read each
    type as, with counts, and warns about the types it does not know (kept as 'other',
    in no metric)."""

    def arena(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "arena", *args], capture_output=True, text=True)

    odd = [*TINY, '2,13,survey_answer,w1,,,"4 of 5",,,1', '2,14,survey_answer,w2,,,"3",,,1', "2,15,typing,w2,,,,,,1"]
    write(tmp_path / "odd", "cars.csv", odd)
    out = arena("import", "debate-groups", str(tmp_path / "odd"), "--topic", TOPIC)
    assert out.returncode == 0, out.stderr
    assert (
        "warning: event types outside the mapping, kept as 'other' and left out of every metric: "
        "survey_answer ×2, typing ×1"
    ) in out.stderr
    for line in (
        "Initial Opinion ×2: private opinion",
        "Opinion ×4: private opinion",
        "tweet ×4: public post",
        "message_sent ×1: direct message",
        "message_received ×1: skipped (repeats a message_sent)",
        "survey_answer ×2: not recognised: kept as 'other', in no metric",
    ):
        assert f"    {line}\n" in out.stderr
    data = json.loads(arena("import", "debate-groups", str(tmp_path / "odd"), "--json", "--collection", "b").stdout)
    assert data["unrecognised_event_types"] == {"survey_answer": 2, "typing": 1}
    assert {"event_type": "tweet", "count": 4, "read_as": "public post"} in data["event_types"]
    # The known file alone: no warning.
    write(tmp_path / "plain", "cars.csv", TINY)
    out = arena("import", "debate-groups", str(tmp_path / "plain"), "--topic", TOPIC, "--collection", "c")
    assert out.returncode == 0 and "warning" not in out.stderr and "tweet ×4: public post" in out.stderr
    assert "topics:" not in out.stderr
    # Without --topic the topic is the file's name ("cars"): the import says so, and how to match
    out = arena("import", "debate-groups", str(tmp_path / "plain"), "--collection", "d")
    assert out.returncode == 0 and "give --topic for group compare" in out.stderr


@pytest.mark.parametrize("width", [80, 120])
async def test_compare_tables_read_at_80_and_120_columns(store, tmp_path, width):
    """The user walk: at 80 columns compare broke intervals across lines ('1.30 [1.02,' over
    '1.55] over 20'). Now each metric is two lines: each side's mean (n groups) and the
    difference, then their intervals under them, whole; only the metric's name wraps."""
    from rich.console import Console

    from arena.studies.group_render import compare_tables

    write(tmp_path / "human", "cars.csv", TINY)
    gateway = Gateway(backoff_base_s=0.0)
    await import_debate_groups(tmp_path / "human", "debate-groups", "sim/rater", TOPIC, Config(), gateway, store)
    for seed in (1, 2):
        spec = GroupSpec(TOPIC, [f"sim/m{i}?conformity=0.8" for i in range(4)], rounds=2, seed=seed, collection="sim")
        await run_group(spec, Config(), gateway, store)
    human, simulated = discussions_from_store(store, "debate-groups"), discussions_from_store(store, "sim")
    report = compare_report(human, simulated, "debate-groups", "sim")
    console = Console(width=width, record=True, color_system=None)
    console.print(compare_tables(report))
    out = console.export_text()
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= width and "…" not in out
    assert "Human" in out and "(debate-groups)" in out and "Simulated" in out and "Difference" in out
    at, rows = 0, 0  # each row's first line, in order, below the one before
    for comparison in (report.overall, *report.by_topic):
        for row in comparison.rows:
            h, s, d = row.human, row.simulated, row.difference
            at = next(
                (i for i in range(at + 1, len(lines))
                if lines[i].startswith(f"│ {row.label.split()[0]} ") and f"│ {h.value:.2f} (n={h.n}) " in lines[i]
                and f"│ {s.value:.2f} (n={s.n}) " in lines[i] and f"│ {d.value:+.2f} " in lines[i]),
                -1,
            )  # fmt: skip
            assert at >= 0, f"{row.label}: no line holds its values whole, each with its count\n{out}"
            under = lines[at + 1]
            assert f"[{h.lo:.2f}, {h.hi:.2f}]" in under and f"[{s.lo:.2f}, {s.hi:.2f}]" in under, under
            assert f"[{d.lo:+.2f}, {d.hi:+.2f}]" in under, under
            rows += 1
    assert rows == 2 * len(report.overall.rows)  # all topics, then the one topic
    if width == 120:  # wide enough: every metric's name on its row's first line
        assert all(any(label in line for line in lines) for _, label in METRICS)

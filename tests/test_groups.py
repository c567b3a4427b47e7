"""arena group run / report: group discussions with private opinions (issue 22), on the
simulator: planted conformity converges, stubbornness does not (with intervals); members
see only what a person in the study would see; answers are parsed with a retry; the
metrics match values computed by hand."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from arena.config import Config
from arena.llm.gateway import Gateway
from arena.llm.sim_groups import post_stance
from arena.llm.types import Completion, LLMRequest, TokenCallback, Usage
from arena.studies.group_report import discussions_from_store
from arena.studies.group_run import GroupSpec, parse_message, parse_opinion, parse_stance, run_group
from arena.studies.groups import METRICS, Discussion, Event, group_metrics, groups_report, spread

TOPIC = "Cities should ban private cars from their centres"


def members(option: str, n: int = 4) -> list[str]:
    return [f"sim/m{i}?{option}" for i in range(n)]


async def run_many(option: str, groups: int, store=None) -> list[Discussion]:
    gateway = Gateway(backoff_base_s=0.0)
    out = []
    for seed in range(1, groups + 1):
        spec = GroupSpec(TOPIC, members(option), rounds=3, seed=seed)
        out.append(await run_group(spec, Config(), gateway, store))
    return out


async def test_planted_conformity_converges_and_stubbornness_does_not():
    conforming = groups_report(await run_many("conformity=0.8", 20))
    stubborn = groups_report(await run_many("conformity=0", 20))
    c, s = conforming.metrics["convergence"], stubborn.metrics["convergence"]
    assert c.n == s.n == 20
    # Conformity: the spread falls across rounds, the whole interval above zero.
    assert c.lo is not None and c.lo > 0.3
    spreads = [conforming.spread_by_round[r].value for r in range(4)]
    assert spreads[0] > spreads[1] >= spreads[3] - 0.1
    assert conforming.spread_by_round[3].hi < conforming.spread_by_round[0].lo
    # Stubborn members: no convergence; the interval holds zero and is far below the other's.
    assert s.lo is not None and s.hi is not None and s.lo <= 0 <= s.hi
    assert s.hi < c.lo
    # The honest simulated members post what they privately think: no public-private gap.
    assert conforming.metrics["public_private_gap"].value == 0.0


async def test_members_see_only_what_a_person_would(recording_gateway):
    spec = GroupSpec(TOPIC, members("conformity=0.5"), rounds=2, seed=4)
    d = await run_group(spec, Config(), recording_gateway, None)
    assert [e.seq for e in d.events] == list(range(len(d.events)))
    messages = [e for e in d.events if e.kind == "message"]
    assert messages, "the seed gives some direct messages"
    member_of = re.compile(r"You are member (\w)")
    asked = [r for r in recording_gateway.requests if r.purpose in ("group_opinion", "group_post", "group_message")]
    assert asked
    for req in asked:
        prompt = "\n".join(m.content for m in req.messages)
        me = member_of.search(prompt).group(1)
        for e in d.events:
            if e.kind == "opinion" and e.member != me:
                assert f"Your private opinion (round {e.round}): {e.slider}/6 - {e.text}" not in prompt
                assert e.text not in prompt or any(p.text == e.text for p in d.events if p.kind != "opinion")
            if e.kind == "message" and me not in (e.member, e.recipient):
                assert f"Message from {e.member} to you" not in prompt or e.text not in prompt
    # A member's message reaches its addressee in the next phase's prompt.
    first = messages[0]
    later = [
        "\n".join(m.content for m in r.messages)
        for r in recording_gateway.requests
        if r.purpose == "group_opinion" and f"You are member {first.recipient}" in r.messages[0].content
    ]
    assert any(f"Message from {first.member} to you (round {first.round}): {first.text}" in p for p in later)
    # The rater reads the post alone: no member label, no private opinion.
    for prompt in recording_gateway.prompts("group_stance"):
        assert "You are member" not in prompt and "private opinion" not in prompt


class Scripted:
    """Answers group requests from a script per purpose (the last answer repeats)."""

    def __init__(self, **answers: list[str]) -> None:
        self.answers = answers
        self.count: dict[str, int] = {}

    async def complete(self, req: LLMRequest, on_token: TokenCallback | None = None) -> Completion:
        script = self.answers[req.purpose]
        i = self.count.get(req.purpose, 0)
        self.count[req.purpose] = i + 1
        return Completion(script[min(i, len(script) - 1)], Usage(req.model, 3, 4))


async def test_an_unreadable_opinion_is_asked_again_then_left_missing():
    gateway = Scripted(
        group_opinion=["I think yes, about a five", "<opinion>Yes.</opinion>\n<slider>5</slider>", "no idea"],
        group_post=["Cars make centres worse."],
        group_message=["NONE"],
        group_stance=["<stance>5</stance>"],
    )
    spec = GroupSpec(TOPIC, ["openai/x", "openai/y"], rounds=1, seed=1)
    d = await run_group(spec, Config(), gateway, None)
    first, second = [e for e in d.events if e.kind == "opinion" and e.round == 0]
    assert first.slider == 5 and first.text == "Yes."  # read on the retry
    assert second.slider is None  # "no idea" twice: missing, never guessed
    # Four opinions (two members, rounds 0 and 1), each asked twice: the first was read on
    # its retry, the script's last answer ("no idea") never reads.
    assert gateway.count["group_opinion"] == 4 * 2
    assert all(e.slider is None for e in d.events if e.kind == "opinion" and e.round == 1)
    posts = [e for e in d.events if e.kind == "post"]
    assert [p.stance for p in posts] == [5.0, 5.0]


def test_parsers():
    assert parse_opinion("<opinion> I lean yes </opinion>\n<slider> 4 </slider>") == ("I lean yes", 4)
    assert parse_opinion("<SLIDER>6</SLIDER> because") == ("because", 6)
    for bad in ("<slider>7</slider>", "<slider>0</slider>", "four"):
        with pytest.raises(ValueError):
            parse_opinion(bad)
    assert parse_stance("<stance>0</stance>") is None and parse_stance("x <stance>4.5</stance>") == 4.5
    with pytest.raises(ValueError):
        parse_stance("<stance>9</stance>")
    assert parse_message("TO: b\nHello there", "A", ["A", "B", "C"]) == ("B", "Hello there")
    assert parse_message("NONE", "A", ["A", "B"]) is None
    assert parse_message("TO: A\nto myself", "A", ["A", "B"]) is None  # not to oneself
    assert parse_message("TO: Z\nnobody", "A", ["A", "B"]) is None


def test_lexical_stance():
    assert post_stance("I strongly disagree with this.") == 1
    assert post_stance("I somewhat agree, but I disagree on costs.") == (4 + 2) / 2
    assert post_stance("I don't agree. I strongly support the opposite.") == (2 + 6) / 2
    assert post_stance("Cars are loud.") is None


def tiny() -> Discussion:
    """Two members, two rounds, every metric computable by hand."""
    E = Event
    events = (
        E(0, 0, "opinion", "A", "no", slider=2),
        E(1, 0, "opinion", "B", "yes", slider=6),
        E(2, 1, "post", "A", "I disagree with it", stance=2.0),
        E(3, 1, "post", "B", "I agree so much, truly", stance=5.0),
        E(4, 1, "message", "A", "please reconsider", recipient="B"),
        E(5, 1, "opinion", "A", "maybe", slider=3),
        E(6, 1, "opinion", "B", "yes", slider=5),
        E(7, 2, "post", "A", "I somewhat agree", stance=4.0),
        E(8, 2, "post", "B", "agree", stance=4.0),
        E(9, 2, "opinion", "A", "maybe yes", slider=4),
        E(10, 2, "opinion", "B", "fine", slider=4),
    )
    return Discussion("g1", TOPIC, ("A", "B"), events)


def test_metrics_by_hand():
    m = group_metrics(tiny()).metrics
    # A 2→4, B 6→4: |change| 2 and 2; signed +2 and −2.
    assert m["opinion_change"].value == 2.0 and m["opinion_change"].n == 2
    assert m["opinion_shift"].value == 0.0
    # Spread: round 0 {2, 6} → 2; round 2 {4, 4} → 0; convergence 2.
    assert m["spread_initial"].value == 2.0 and m["spread_final"].value == 0.0
    assert m["convergence"].value == 2.0
    assert group_metrics(tiny()).spread_by_round[1].value == 1.0  # {3, 5}
    # Gap: round 1 posts against the round-0 opinions |2−2|, |5−6|; round 2 against round 1 |4−3|, |4−5|.
    assert m["public_private_gap"].value == pytest.approx((0 + 1 + 1 + 1) / 4) and m["public_private_gap"].n == 4
    # Drift: A 2→4 (+2), B 5→4 (−1).
    assert m["stance_drift"].value == pytest.approx(0.5)
    # Words per post (4, 5, 3, 1) and per message (2).
    assert m["post_words"].value == pytest.approx(13 / 4) and m["message_words"].value == 2.0
    assert spread([1.0]) is None


async def test_stored_groups_read_back_and_report(store):
    ran = await run_many("conformity=0.8", 2, store)
    read = discussions_from_store(store)
    assert [d.id for d in read] == [d.id for d in ran]
    assert [d.events for d in read] == [d.events for d in ran]
    assert groups_report(read).as_dict() == groups_report(ran).as_dict()


def test_cli_run_and_report(db_path, tmp_path):
    def arena(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "arena", *args], capture_output=True, text=True)

    personas = tmp_path / "personas.txt"
    personas.write_text("# one per line\nA retired bus driver.\nA cycling student.\n", encoding="utf-8")
    out = arena(
        "group", "run", "--topic", TOPIC, "--members", "sim/a,sim/b,sim/c", "--rounds", "2",
        "--personas", str(personas), "--groups", "2", "--json",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["groups"] == 2 and data["metrics"]["convergence"]["n"] == 2
    assert set(data["spread_by_round"]) == {"0", "1", "2"}
    assert data["calls"] == [f"group:{i}" for i in data["ids"]]  # where each one's model calls are
    assert "group:" in arena("calls", data["calls"][0]).stdout
    report = arena("group", "report", "--collection", "groups")
    assert report.returncode == 0 and "Convergence" in report.stdout and "over 2" in report.stdout
    bad = arena("group", "report", "--collection", "nope")
    assert bad.returncode == 2 and "no group discussions" in bad.stderr and "Traceback" not in bad.stderr
    many = tmp_path / "many.txt"
    many.write_text("a\nb\nc\nd\n", encoding="utf-8")
    bad = arena("group", "run", "--topic", "T", "--members", "sim/a,sim/b", "--personas", str(many))
    assert bad.returncode == 2 and "4 personas for 2 members" in bad.stderr
    # a mistyped provider is refused before the run (no group stored with a member that never answered)
    bad = arena("group", "run", "--topic", "T", "--members", "nosuch/model,sim/b")
    assert bad.returncode == 2 and "unknown provider 'nosuch'" in bad.stderr and "Traceback" not in bad.stderr
    assert "over 2" in arena("group", "report", "--collection", "groups").stdout
    bad = arena("group", "compare", "--human", "nope", "--simulated", "groups")
    assert bad.returncode == 2 and bad.stderr.startswith("error: --human 'nope'")


def test_html_export_draws_each_members_trajectory(db_path, tmp_path):
    def arena(*args: str) -> None:
        subprocess.run([sys.executable, "-m", "arena", *args], capture_output=True, text=True, check=True)

    hostile = "Cars <script>alert(1)</script> should go"
    arena("group", "run", "--topic", hostile, "--members", "sim/a,sim/b,sim/c,sim/d", "--rounds", "2", "--groups", "2")
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    arena("leaderboard", "--format", "html", "-o", str(first))
    arena("leaderboard", "--format", "html", "-o", str(second))
    page = first.read_text(encoding="utf-8")
    assert page == second.read_text(encoding="utf-8")  # deterministic
    section = page[page.index('<section id="groups">') : page.index("</section>", page.index('<section id="groups">'))]
    assert "<h3>groups (2 groups)</h3>" in section and "Convergence" in section
    assert section.count("<svg") == 2 and section.count("<polyline") == 2 * 4  # one line per member
    assert "<script" not in page and "&lt;script&gt;" in section
    assert "A sim/a · B sim/b · C sim/c · D sim/d" in section  # who each line is


@pytest.mark.parametrize("width", [80, 120])
async def test_report_tables_read_at_80_and_120_columns(width):
    """Issue 22's walk: at 80 columns the per-group table took four lines a group and
    cut its 'Public–private gap' header. Now nothing is cut or wrapped mid-value: a
    group's row is two lines (values with counts, then intervals), and its id, spread by
    round and trajectories follow in full."""
    from rich.console import Console

    from arena.studies.group_render import groups_table

    ran = await run_many("conformity=0.8", 3)
    report = groups_report(ran)
    console = Console(width=width, record=True, color_system=None)
    console.print(groups_table(report, "groups"))
    out = console.export_text()
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80  # the same compact layout at either width
    assert "…" not in out
    assert "Group discussions, collection groups: 3 groups (95% bootstrap intervals)" in out  # the title on one line
    per_group = out[out.index("Per group") :]
    assert "Public–private" in per_group and "┃ gap " in per_group.replace("  ", " ")
    rows = [line for line in per_group.splitlines() if line.startswith("│")]
    assert len(rows) == 2 * len(ran)  # two lines a group
    for i, g in enumerate(report.groups, 1):
        change, gap = g.metrics["opinion_change"], g.metrics["public_private_gap"]
        (row,) = [r for r in rows if r.startswith(f"│ {i} │")]
        assert f"{change.value:.2f} (n={change.n})" in row and f"{gap.value:.2f} (n={gap.n})" in row
        interval = rows[rows.index(row) + 1]
        assert f"[{change.lo:.2f}, {change.hi:.2f}]" in interval
        assert f" {i} {g.id} · spread by round " in out
        assert "A " + "→".join(str(s) for _, s in g.trajectories["A"]) in out
    for key, label in METRICS:  # over the groups: each metric, its value, interval and count on one line
        assert any(label in line and report.metrics[key].text(2) in line for line in lines), label

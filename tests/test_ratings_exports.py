"""Leaderboard and exports: determinism, escaping, required keys; import hygiene."""

import csv
import io
import json
import math
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arena.ratings.leaderboard import LeaderboardSettings, build_leaderboard
from arena.ratings.types import JudgeVote, Match
from arena.render import leaderboard_data, leaderboard_html, leaderboard_md

EVIL = "<script>alert(1)</script>"
ROOT = Path(__file__).resolve().parents[1]


def make_log(seed=3, n=240):
    rng = random.Random(seed)
    names = ["model:a", "model:b", "team:a4d@x", EVIL, "a|b*c"]
    strength = {p: 0.4 * i for i, p in enumerate(names)}
    log = []
    for t in range(n):
        a, b = rng.sample(names, 2)
        p = 1 / (1 + math.exp(strength[b] - strength[a]))
        w = "tie" if rng.random() < 0.1 else ("model_a" if rng.random() < p else "model_b")
        log.append(Match(a, b, w, float(t), id=f"d{t}", category=rng.choice(["fact", "value"])))
    log.append(Match("human:newbie", "model:a", "model_a", 999.0, id="late"))
    return log


VOTES = [
    JudgeVote(f"d{i}", f"j{j}", "pro" if (i + j) % 3 else "con", panel_winner="pro")
    for i in range(12)
    for j in range(3)
]


@pytest.fixture(scope="module")
def board():
    return build_leaderboard(make_log(), LeaderboardSettings(rounds=200), votes=VOTES)


def test_rows_sorted_and_complete(board):
    # established rows first, then provisional ones, each in rating order
    keys = [(r.provisional, -r.rating) for r in board.rows]
    assert keys == sorted(keys)
    assert board.rows[-1].participant == "human:newbie"
    assert {r.participant for r in board.rows} == {"model:a", "model:b", "team:a4d@x", EVIL, "a|b*c", "human:newbie"}
    newbie = next(r for r in board.rows if r.participant == "human:newbie")
    assert newbie.provisional and newbie.debates == 1
    assert any("human:newbie won all 1" in w for w in board.warnings)
    for r in board.rows:
        assert r.rating == r.bt and r.ci_lo <= r.rating <= r.ci_hi
        assert r.rank_ub >= 1 and r.brier is None


def test_the_mean_is_1000_and_ml_ignores_a_perfect_record(board):
    # with the prior every rating is finite and the pool mean is the centre
    assert sum(r.bt for r in board.rows) / len(board.rows) == pytest.approx(1000.0)
    ml = build_leaderboard(make_log(), LeaderboardSettings(rounds=20, prior=0))
    finite = [r.bt for r in ml.rows if r.participant != "human:newbie"]
    assert sum(finite) / len(finite) == pytest.approx(1000.0)


def test_category_filter_and_systems():
    log = make_log()
    fact = build_leaderboard(log, LeaderboardSettings(rounds=50, category="fact"))
    assert fact.matches == sum(m.category == "fact" for m in log)
    ts = build_leaderboard(log, LeaderboardSettings(system="trueskill", rounds=20))
    exposes = [r.ts_expose for r in ts.rows]
    assert exposes == sorted(exposes, reverse=True)
    assert all(r.rating == r.ts_mu and r.ci_lo < r.ts_mu < r.ci_hi for r in ts.rows)
    el = build_leaderboard(log, LeaderboardSettings(system="elo", rounds=50))
    assert all(r.rating == r.elo and r.elo_lo == r.ci_lo for r in el.rows)


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "html"])
def test_exports_are_byte_stable(board, fmt):
    render = {
        "md": leaderboard_md.to_markdown,
        "csv": leaderboard_data.to_csv,
        "json": lambda b: leaderboard_data.to_json(b, "9.9.9"),
        "html": lambda b: leaderboard_html.to_html(b, "9.9.9"),
    }[fmt]
    again = build_leaderboard(list(reversed(make_log())), LeaderboardSettings(rounds=200), votes=VOTES)
    assert render(board) == render(again)


def test_json_has_the_required_keys(board):
    doc = json.loads(leaderboard_data.to_json(board, "1.2.3"))
    assert {"settings", "log_sha256", "version", "rows"} <= set(doc)
    assert doc["version"] == "1.2.3" and len(doc["log_sha256"]) == 64
    assert doc["settings"]["system"] == "bt" and doc["settings"]["rounds"] == 200
    required = {"rank_ub", "participant", "rating", "ci_lo", "ci_hi", "debates", "wins", "ties", "losses",
                "elo", "ts_mu", "ts_sigma", "ts_expose", "provisional"}  # fmt: skip
    for row in doc["rows"]:
        assert required <= set(row)
        assert row["rating"] == round(row["rating"], 2)
    assert doc["judges"]["kappa_debates"] == 12


def test_csv_parses_back(board):
    rows = list(csv.DictReader(io.StringIO(leaderboard_data.to_csv(board))))
    assert [r["participant"] for r in rows] == [r.participant for r in board.rows]
    assert rows[0]["provisional"] in ("true", "false")


def test_markdown_escapes_and_shows_intervals(board):
    md = leaderboard_md.to_markdown(board)
    assert EVIL not in md and "a\\|b\\*c" in md
    row = next(r for r in board.rows if r.participant == "model:a")
    assert f"+{row.ci_hi - row.rating:.1f}/−{row.rating - row.ci_lo:.1f}" in md


def test_html_is_escaped_self_contained_and_well_formed(board):
    page = leaderboard_html.to_html(board, "1.0", title="Arena <b>&</b>")
    assert EVIL not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>&</b>" not in page
    assert "<script" not in page.lower()
    assert not re.search(r"(src|href)\s*=", page)  # nothing to fetch
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    svgs = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert len(svgs) == 4  # interval plot, average win rate, head-to-head heat map, debate counts
    for svg in svgs:
        ET.fromstring(svg)  # well-formed XML, so the escaping held


def test_empty_log_exports():
    lb = build_leaderboard([], LeaderboardSettings(rounds=10))
    assert lb.rows == [] and lb.matches == 0
    assert "No rated debates" in leaderboard_html.to_html(lb, "1")
    json.loads(leaderboard_data.to_json(lb, "1"))
    assert leaderboard_data.to_csv(lb).count("\n") == 1


def test_log_sha_ignores_order_but_not_content():
    log = make_log()
    a = build_leaderboard(log, LeaderboardSettings(rounds=0)).log_sha256
    b = build_leaderboard(list(reversed(log)), LeaderboardSettings(rounds=0)).log_sha256
    c = build_leaderboard(log[:-1], LeaderboardSettings(rounds=0)).log_sha256
    assert a == b != c


MODULES = ["types", "canonical", "elo", "trueskill_ratings", "bradley_terry", "bootstrap", "stats",
           "leaderboard", "systems", "fits"]  # fmt: skip


def test_ratings_import_nothing_else_of_the_project():
    code = (
        "import sys\n"
        + "".join(f"import arena.ratings.{m}\n" for m in MODULES)
        + "bad = sorted(m for m in sys.modules if m.startswith('arena') and m not in "
        "('arena', 'arena.ratings') and not m.startswith('arena.ratings.'))\n"
        "heavy = sorted(m for m in ('textual', 'litellm', 'sqlmodel', 'sqlalchemy', 'rich') if m in sys.modules)\n"
        "print(bad, heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] []"


def _rendered_text(markdown: str) -> str:
    import html
    import re

    from markdown_it import MarkdownIt

    rendered = MarkdownIt("gfm-like").render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40))
def test_markdown_escaping_keeps_any_text_as_written_and_escapes_only_markup(text):
    """Whatever a name or note holds, Markdown shows it as written (rich's own Markdown
    parser, GFM-like: tables, strikethrough, links); and plain prose is left alone."""
    flat = " ".join(text.split())
    assert _rendered_text(leaderboard_md.md_escape(text)) == flat.strip()
    cell = _rendered_text(f"| h |\n|---|\n| {leaderboard_md.md_escape(text)} |")
    assert cell.removeprefix("h").strip() == flat.strip()


def test_markdown_leaves_prose_that_is_not_markup_alone():
    assert leaderboard_md.md_escape("1 + #{j : lo_j > hi_i}") == "1 + #{j : lo_j > hi_i}"
    assert leaderboard_md.md_escape("model:sim/a?skill=0.9 (Elo)") == "model:sim/a?skill=0.9 (Elo)"
    assert leaderboard_md.md_escape("1. first") == "1\\. first"


def test_a_selections_html_export_leaves_out_the_whole_stores_studies(db_path, tmp_path):
    """The studies section counts the whole store: under `--tournament spring` it would
    count other debates beneath a header of spring's; so it is left out there."""
    from click.testing import CliRunner

    from arena.cli import cli

    def run(*args: str):
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result

    run("tournament", "run", "--name", "spring", "--players", "sim/a,sim/b,sim/c", "--judge", "sim/j")
    run("debate", "--pro", "sim/d", "--con", "sim/e", "--judge", "sim/j")
    whole, spring = tmp_path / "whole.html", tmp_path / "spring.html"
    run("leaderboard", "--format", "html", "-o", str(whole))
    run("leaderboard", "--tournament", "spring", "--format", "html", "-o", str(spring))
    assert "<h2>Debate studies</h2>" in whole.read_text(encoding="utf-8")
    assert "<h2>Debate studies</h2>" not in spring.read_text(encoding="utf-8")


def test_an_empty_boards_html_export_says_where_the_debates_are(db_path, tmp_path):
    """Only `arena study qa` and `arena group run` ran: the default page shows their sections
    below, so its top does not just say "No rated debates." but names the collection that
    holds the QA debates and the command that rates them, as the table does (one message)."""
    from click.testing import CliRunner

    from arena.cli import cli

    def run(*args: str):
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result

    run("import", "qa", str(ROOT / "motions" / "qa_sample.jsonl"))
    run("study", "qa", "--debaters", "sim/a,sim/b", "--judges", "sim/j", "--items", "2")
    run("group", "run", "--topic", "Homework should be abolished", "--members", "sim/a,sim/b,sim/c", "--rounds", "1")
    page_file = tmp_path / "b.html"
    run("leaderboard", "--format", "html", "-o", str(page_file))
    page = page_file.read_text(encoding="utf-8")
    said = "No rated debates in this collection (arena, the default). Other collections hold debates: study-qa"
    text = " ".join(run("leaderboard").output.split())
    assert said in text and "(arena leaderboard --collection study-qa)" in text
    top = page[: page.index("<h2>")]
    assert said in top and "(arena leaderboard --collection study-qa)" in top
    assert "below report this database" in top
    assert "<h2>Group discussions</h2>" in page and "<h2>QA sets as debates</h2>" in page
    assert "<p>No rated debates.</p>" not in page
    qa_page = tmp_path / "qa.html"  # the collection that holds them is rated as usual
    run("leaderboard", "--collection", "study-qa", "--format", "html", "-o", str(qa_page))
    assert "<h2>Ratings</h2>" in qa_page.read_text(encoding="utf-8")

"""What a user sees: the CLI's --prior, safe CSV, consistent columns, 80-column tables,
names shortened in the middle, warnings in every format."""

from __future__ import annotations

import csv
import io
import json
import random
import re

from click.testing import CliRunner
from rich.console import Console

from arena.cli import cli
from arena.commands.leaderboard import rich_table
from arena.debate.model_names import fitted_names
from arena.ratings.leaderboard import LeaderboardSettings, build_leaderboard
from arena.ratings.types import Match
from arena.render import leaderboard_data, leaderboard_html, leaderboard_md
from tests.test_ratings_prior import independent_ml, scenario


def run(db: str, *args: str):
    return CliRunner().invoke(cli, ["--db", db, *args])


def test_prior_zero_on_an_imported_battle_file_is_the_ml_fit(db_path, tmp_path):
    rng = random.Random(4)
    strength = {"alpha": 1.5, "beta": 0.7, "gamma": 0.0, "delta": -0.8, "eps": -1.4}
    rows = []
    for i in range(2000):
        a, b = rng.sample(sorted(strength), 2)
        p = 1 / (1 + pow(2.718281828, strength[b] - strength[a]))
        u = rng.random()
        rows.append(
            {
                "model_a": a,
                "model_b": b,
                "winner": "tie" if u > 0.93 else ("model_a" if u < 0.93 * p else "model_b"),
                "tstamp": float(i),
            }
        )
    (tmp_path / "b.json").write_text(json.dumps(rows))
    assert run(db_path, "battles", "import", str(tmp_path / "b.json"), "--collection", "fc").exit_code == 0
    ml = json.loads(
        run(db_path, "leaderboard", "--collection", "fc", "--prior", "0", "--format", "json", "--rounds", "20").stdout
    )
    ref = independent_ml([Match(r["model_a"], r["model_b"], r["winner"], r["tstamp"]) for r in rows])
    assert ml["settings"]["prior"] == 0
    assert max(abs(row["rating"] - ref[row["participant"]]) for row in ml["rows"]) < 2.0
    default = json.loads(run(db_path, "leaderboard", "--collection", "fc", "--format", "json", "--rounds", "20").stdout)
    assert default["settings"]["prior"] == 4
    bad = run(db_path, "leaderboard", "--collection", "fc", "--prior", "-1")
    assert bad.exit_code == 2 and "-1" in bad.output


def test_csv_is_safe_for_spreadsheets_and_has_no_empty_columns():
    log = [Match('=HYPERLINK("http://x")', "+cmd", "model_a", 0.0), Match("@sum", "-1+1", "model_b", 1.0)]
    board = build_leaderboard(log, LeaderboardSettings(rounds=20))
    text = leaderboard_data.to_csv(board)
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@")) and not (value.startswith("-") and not _number(value))
    assert {r["participant"] for r in rows} == {'\'=HYPERLINK("http://x")', "'+cmd", "'@sum", "'-1+1"}
    header = text.splitlines()[0].split(",")
    assert "elo_lo" not in header and "elo_hi" not in header
    elo = leaderboard_data.to_csv(build_leaderboard(log, LeaderboardSettings(system="elo", rounds=20)))
    assert "elo_lo" in elo.splitlines()[0]
    for row in csv.DictReader(io.StringIO(elo)):
        assert all(v != "" for k, v in row.items() if k != "ci_note"), row


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def test_no_column_repeats_the_chosen_system():
    board = build_leaderboard(scenario(), LeaderboardSettings(rounds=20))
    page = leaderboard_html.to_html(board, "1")
    head = page[page.index("<thead>") : page.index("</thead>")]
    assert head.count("Bradley–Terry") == 1 and ">BT<" not in head
    md = leaderboard_md.to_markdown(board)
    assert (
        md.splitlines()[[i for i, line in enumerate(md.splitlines()) if line.startswith("| #")][0]].count(
            "Bradley–Terry"
        )
        == 1
    )


def test_names_are_fitted_by_the_one_rule_with_the_full_name_in_a_title():
    long = "model:openai/a-very-long-model-name-that-would-break-the-table"
    board = build_leaderboard([Match(long, "model:b", "model_a", 0.0)], LeaderboardSettings(rounds=10))
    page = leaderboard_html.to_html(board, "1")
    shown = long.removeprefix("model:")  # the display rule: the id without its implied model:
    fitted = fitted_names([shown, "b"], 32)[0]
    assert fitted == "a-very-long-model-name-that-wou…"  # without its provider, cut at the end
    assert f'title="{shown} = {long}">{fitted}</span>' in page
    assert "break-word" not in page  # names never wrap mid-word (only the SHA line may)


def test_names_alike_never_read_alike_in_the_html_charts():
    # they differ in the middle: a cut in the middle once showed both as "sim/alice?seed…e&skill=0.9"
    alike = [f"model:sim/alice?seed={n}&style=verbose&skill=0.9" for n in (1, 2)]
    board = build_leaderboard([Match(alike[0], alike[1], "model_a", 0.0)] * 3, LeaderboardSettings(rounds=10))
    page = leaderboard_html.to_html(board, "1")
    labels = re.findall(r'text-anchor="end">([^<]*)</text>', page)  # the charts' row labels
    assert len(labels) >= 4 and len(set(labels)) == 2, labels


def test_the_table_fits_80_columns_and_keeps_names_whole_or_marked():
    long = "model:openai/a-very-long-model-name-that-would-break-the-table"
    log = scenario() + [Match(long, "sim/a", "model_a", 99.0)]
    board = build_leaderboard(log, LeaderboardSettings(rounds=20))
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(rich_table(board, "Leaderboard", 80))
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    # fitted by the one rule, on one line (80 columns leave it 18 beside the rank range and " *")
    assert re.search(r"│ a-very-long-model-[a-z-]*… \* +│", text)
    # and once in full under the table, so it can be read and typed whole
    joined = " ".join(text.split())
    assert re.search(
        r"Participants in full: a-very-long-model-[a-z-]*… = " + re.escape(long.removeprefix("model:")), joined
    )
    assert "newcomer" not in text
    assert "component 2/3" in text


def test_a_lucky_newcomer_is_listed_below_the_established_participants():
    # one win, over the seasoned sim/a itself: its MAP rating may edge above, but a
    # provisional row never sits above an established one of its component
    log = scenario() + [Match("sim/lucky", "sim/a", "model_a", 99.0)]
    board = build_leaderboard(log, LeaderboardSettings(rounds=20, min_debates=5))
    rows = [r for r in board.rows if r.component == 0]
    assert [r.participant for r in rows][0] == "sim/a"
    assert rows[-1].participant == "sim/lucky" and rows[-1].provisional


def test_warnings_appear_in_every_format():
    board = build_leaderboard(scenario(), LeaderboardSettings(rounds=20))
    warning = next(w for w in board.warnings if "disconnected" in w)
    assert "## Warnings" in leaderboard_md.to_markdown(board)
    assert leaderboard_md.md_escape(warning) in leaderboard_md.to_markdown(board)
    assert warning in json.loads(leaderboard_data.to_json(board, "1"))["warnings"]
    assert "disconnected components" in leaderboard_html.to_html(board, "1")


def test_one_huge_interval_does_not_squash_the_plot():
    import re

    # plain ML: the 1–0 newcomers get Laplace intervals thousands of points wide; they
    # run to the plot's edge instead of stretching its axis
    board = build_leaderboard(scenario(), LeaderboardSettings(rounds=20, prior=0))
    assert max(r.ci_hi - r.ci_lo for r in board.rows) > 2000
    page = leaderboard_html.to_html(board, "1")
    plot = page[page.index("<svg") : page.index("</svg>")]
    xs = [float(x) for x in re.findall(r'x[12]="([0-9.]+)"', plot)]
    assert min(xs) >= 210 - 1 and max(xs) <= 760 - 30 + 1
    ests = [r.rating for r in board.rows]
    ticks = [float(t) for t in re.findall(r'fill="#5b6475">(-?[0-9.]+)</text>', plot)]
    margin = 1.1 * leaderboard_html.CLIP  # CLIP plus the 5 % padding
    assert ticks and min(ticks) >= min(ests) - margin and max(ticks) <= max(ests) + margin
    assert min(r.ci_lo for r in board.rows) < min(ests) - margin  # so the clipping was needed
    # with the default prior the seasoned pool spreads over the plot, not into a dot
    board = build_leaderboard(scenario(), LeaderboardSettings(rounds=20))
    page = leaderboard_html.to_html(board, "1")
    plot = page[page.index("<svg") : page.index("</svg>")]
    cx = [float(x) for x in re.findall(r'cx="([0-9.]+)"', plot)]
    seasoned = sum(1 for r in board.rows if r.component == 0)
    assert max(cx[:seasoned]) - min(cx[:seasoned]) > 60


def test_names_alike_never_read_alike_in_the_table():
    """sim/alice?skill=0.9 and sim/alice?skill=0.8 once both read `model:sim/…?skill=…`."""
    alike = ["model:sim/alice?skill=0.9", "model:sim/alice?skill=0.8", "model:sim/bob?skill=0.9"]
    log = [
        Match(a, b, "model_a", float(i)) for i, (a, b) in enumerate([(alike[0], alike[1]), (alike[1], alike[2])] * 3)
    ]
    board = build_leaderboard(log, LeaderboardSettings(rounds=20))
    for width in (80, 70):
        console = Console(width=width, record=True, file=io.StringIO())
        console.print(rich_table(board, "Leaderboard", width))
        rows = [line for line in console.export_text().splitlines() if "│" in line]  # not the caption
        cells = [cell.strip() for line in rows for cell in line.split("│")]
        names = [cell for cell in cells if "ali" in cell or "bob" in cell]
        assert len(names) == 3 and len(set(names)) == 3, names
        assert not any(name.startswith("model:") for name in names)

"""The HTML export in a real browser: headless Chromium (Debian's `chromium`) loads the
page at 1200 and 400 pixels wide; nothing may reach the console and nothing may go to
the network.

No DevTools client is needed: `--enable-logging=stderr` prints every console message
as an `INFO:CONSOLE` line, and `--log-net-log` records every request the browser makes,
where the page's own carry the page's (file://) network isolation key; the browser's
background chatter (update checks) does not. A deliberately bad page proves that both
detectors see what they should. CI installs chromium (.ci/run) and sets
ARENA_REQUIRE_BROWSER=1, so there a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from arena.ratings.leaderboard import LeaderboardSettings, build_leaderboard
from arena.render import leaderboard_html
from tests.test_ratings_prior import scenario

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--enable-logging=stderr", "--v=0",
]  # fmt: skip
BAD_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>bad</title></head><body>'
    '<img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script></body></html>'
)

if CHROMIUM is None:
    if os.environ.get("ARENA_REQUIRE_BROWSER"):
        raise RuntimeError("chromium is required here (apt-get install -y chromium)")
    pytest.skip("chromium is not installed (CI installs it: apt-get install -y chromium)", allow_module_level=True)


def load(page: Path, width: int, tmp: Path) -> tuple[list[str], list[str], Path]:
    """(console lines, URLs the page requested, screenshot) for `page` at `width` pixels."""
    net, shot = tmp / f"net-{page.stem}-{width}.json", tmp / f"{page.stem}-{width}.png"
    proc = subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={tmp / f'profile-{page.stem}-{width}'}",
            f"--log-net-log={net}",
            f"--window-size={width},2400",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    log = json.loads(net.read_text())
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    requested = [
        e["params"]["url"] for e in log["events"]
        if e["type"] == start and "file://" in str(e["params"].get("network_isolation_key", ""))
        and not e["params"]["url"].startswith("file:")
    ]  # fmt: skip
    return console, requested, shot


def test_the_detectors_see_a_console_error_and_a_request(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text(BAD_PAGE, encoding="utf-8")
    console, requested, _ = load(bad, 800, tmp_path)
    assert any('"boom"' in line for line in console)
    assert requested == ["http://127.0.0.1:9/x.png"]


@pytest.mark.parametrize("width", [1200, 400])
def test_the_export_loads_clean_at_desktop_and_phone_width(tmp_path, width):
    board = build_leaderboard(scenario(), LeaderboardSettings(rounds=100))
    page = tmp_path / "board.html"
    page.write_text(leaderboard_html.to_html(board, "1.0"), encoding="utf-8")
    console, requested, shot = load(page, width, tmp_path)
    assert console == []
    assert requested == []
    assert shot.stat().st_size > 10_000  # something was drawn


def _widths(page: Path, width: int, tmp: Path) -> list[tuple[str, int, int]]:
    """(what, scrollWidth, clientWidth) of each table's box and of the document, measured
    in Chromium by a probe added to a copy of the page (the export's own policy allows no
    script, so the copy drops it)."""
    import re

    probe = (
        '<script>addEventListener("load",()=>{for(const t of document.querySelectorAll("table"))'
        'console.log("WIDTH table "+t.scrollWidth+" "+t.parentElement.clientWidth);'
        'console.log("WIDTH doc "+document.documentElement.scrollWidth+" "+document.documentElement.clientWidth)})'
        "</script>"
    )
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8"))
    copy = tmp / f"probe-{page.stem}.html"
    copy.write_text(text.replace("</body>", probe + "</body>"), encoding="utf-8")
    console, _, _ = load(copy, width, tmp)
    found = [re.search(r"WIDTH (\w+) (\d+) (\d+)", line) for line in console]
    return [(m[1], int(m[2]), int(m[3])) for m in found if m]


@pytest.mark.parametrize("controls", [(), ("--control", "length,side")])
def test_the_ratings_table_fits_1200_pixels_without_scrolling_sideways(tmp_path, controls):
    """Every column of the ratings table (Brier, TrueSkill, the controlled rating and its
    plain twin included) shows at 1200 px; once the table scrolled and cut off Brier. The
    judges' agreement table (the tournament re-judged), audit and benchmark tables fit as well."""
    import sys

    db = tmp_path / "w.db"
    base = [sys.executable, "-m", "arena", "--db", str(db)]
    players = "sim/alice?skill=0.9,sim/bob?skill=0.7,sim/carol?skill=0.5,sim/dave?skill=0.3,sim/erin?skill=0.6"
    play = subprocess.run(
        [*base, "tournament", "run", "--name", "w", "--players", players, "--judge", "sim/j", "--sample", "2"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert play.returncode == 0, play.stderr[-2000:]
    again = [*base, "rejudge", "--tournament", "w", "--judge", "sim/j2?position_bias=0.3", "--into", "w-j2"]
    assert subprocess.run(again, capture_output=True, timeout=300).returncode == 0  # the agreement section too
    # a judge with options in its name, audited and benched: both sections scrolled sideways at
    # 1200 px (eleven columns of "0.20 [0.08, 0.42] n=20" on one line each)
    judge = "sim/j?accuracy=0.8&position_bias=0.3&verbosity_bias=0.2"
    audit = [*base, "judges", "audit", "--judge", judge, "--debates", "4", "--seed", "1"]
    assert subprocess.run(audit, capture_output=True, timeout=300).returncode == 0
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text('{"prompt": "2+2?", "a": "4", "b": "five", "winner": "a"}\n', encoding="utf-8")
    bench = [*base, "judges", "bench", str(pairs), "--judge", judge]
    assert subprocess.run(bench, capture_output=True, timeout=300).returncode == 0
    page = tmp_path / "board.html"
    export = [*base, "leaderboard", *controls, "--format", "html", "-o", str(page)]
    assert subprocess.run(export, capture_output=True, timeout=300).returncode == 0
    assert "Brier" in page.read_text(encoding="utf-8") and "Judges: agreement" in page.read_text(encoding="utf-8")
    assert "Judges: audit" in page.read_text(encoding="utf-8") and "Judges on public" in page.read_text(
        encoding="utf-8"
    )
    widths = _widths(page, 1200, tmp_path)
    assert widths and all(scroll <= client for _, scroll, client in widths), widths


@pytest.mark.parametrize("width", [1200, 400])
def test_an_empty_boards_page_says_where_the_debates_are_and_loads_clean(tmp_path, width):
    """Only a QA study and a group discussion ran: the page's top names the collection that
    holds the debates (not a bare "No rated debates."), above their sections, and the page
    loads clean at desktop and phone width, and does not scroll sideways at either: every
    table, the debate studies' (speaking order) included, scrolls inside its own box (at
    400 px the studies' bare table once widened the page to 757 px)."""
    import re
    import sys

    db = tmp_path / "e.db"
    base = [sys.executable, "-m", "arena", "--db", str(db)]
    root = Path(__file__).resolve().parents[1]
    for args in (
        ["import", "qa", str(root / "motions" / "qa_sample.jsonl")],
        ["study", "qa", "--debaters", "sim/a,sim/b", "--judges", "sim/j", "--items", "2"],
        ["group", "run", "--topic", "Homework should be abolished", "--members", "sim/a,sim/b,sim/c", "--rounds", "1"],
    ):
        done = subprocess.run(base + args, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    page = tmp_path / "empty.html"
    done = subprocess.run(base + ["leaderboard", "--format", "html", "-o", str(page)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    text = page.read_text(encoding="utf-8")
    said = re.search(r'<p class="warn">(.*?)</p>', text)
    assert said and "Other collections hold debates: study-qa (arena leaderboard --collection study-qa)" in said[1]
    assert text.index(said[0]) < text.index("<h2>Debate studies</h2>") < text.index("<h2>Group discussions</h2>")
    assert text.index("<h2>Group discussions</h2>") < text.index("<h2>QA sets as debates</h2>")
    console, requested, _ = load(page, width, tmp_path)
    assert console == [] and requested == []
    widths = _widths(page, width, tmp_path)
    assert [what for what, _, _ in widths].count("doc") == 1, widths  # the page itself is measured
    for what, scroll, client in widths:
        assert what == "table" or scroll <= client, (what, scroll, client)

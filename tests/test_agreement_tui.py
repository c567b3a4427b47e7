"""The Judge audits screen of the TUI shows the agreement between judges under the audits
(issue 21, item 3): a hint while no two judges decided a common debate, the pairs once a
tournament has been re-judged."""

from __future__ import annotations

from test_audit_tui import open_audits
from test_tui_support import make_app, run_arena, screen_text, seeded_db, tui_env, wait_for  # noqa: F401


async def test_judge_screen_shows_agreement_under_the_audits(seeded_db):
    app = make_app(seeded_db)
    async with app.run_test(size=(140, 50)) as pilot:
        await open_audits(app, pilot)
        await wait_for(pilot, lambda: "no two judges have decided the same debate" in screen_text(app), timeout=60)
    run_arena(seeded_db, "tournament", "run", "--name", "t", "--players", "sim/a,sim/b,sim/c", "--judge", "sim/j1")
    run_arena(seeded_db, "rejudge", "--tournament", "t", "--judge", "sim/j2", "--into", "t-j2")
    app = make_app(seeded_db)
    async with app.run_test(size=(140, 60)) as pilot:
        await open_audits(app, pilot)
        await wait_for(pilot, lambda: "Krippendorff's α (nominal) over" in screen_text(app), timeout=60)
        text = screen_text(app)
        assert "No judge has been audited yet" in text  # the audits stay above
        assert "sim/j1" in text and "sim/j2" in text and "Cohen's κ" in text
        assert "Krippendorff's α (nominal) over" in text


async def test_long_judge_names_are_fitted_on_an_80_column_screen(seeded_db):
    """At 80 columns a simulated judge's options folded mid-word (`sim/j2?positi|on_bias=0.3`):
    the app's table fits each name by the one display rule on one line, and says the
    shortened name in full under the tables."""
    run_arena(seeded_db, "tournament", "run", "--name", "t", "--players", "sim/a,sim/b,sim/c", "--judge", "sim/j1")
    run_arena(seeded_db, "rejudge", "--tournament", "t", "--judge", "sim/j2?position_bias=0.3", "--into", "t-j2")
    app = make_app(seeded_db)
    async with app.run_test(size=(80, 60)) as pilot:
        await open_audits(app, pilot)
        # the tables themselves, not only their title: a screen read between the two was blank below it
        await wait_for(pilot, lambda: "Judges in full" in " ".join(screen_text(app).split()), timeout=60)
        text = screen_text(app)
    rows = [line.strip() for line in text.splitlines() if line.strip().startswith("│ sim/j1")]
    assert len(rows) == 1, text
    cells = [cell.strip() for cell in rows[0].split("│")]
    assert cells[2].startswith("j2?position_bias="), text  # without its provider, on one line
    assert f"Judges in full: {cells[2]} = sim/j2?position_bias=0.3" in " ".join(text.split()), text

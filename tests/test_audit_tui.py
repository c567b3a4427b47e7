"""The Judge audits screen of the TUI: opened from the command palette, it shows the
newest audit of each judge the store holds."""

from __future__ import annotations

from test_tui_support import make_app, run_arena, screen_text, seeded_db, tui_env, wait_for  # noqa: F401


async def open_audits(app, pilot) -> None:
    commands = {c.title: c for c in app.get_system_commands(app.screen)}
    assert "Judge audits" in commands
    commands["Judge audits"].callback()
    await wait_for(pilot, lambda: type(app.screen).__name__ == "JudgeAuditsScreen")


async def test_judge_audits_screen_explains_how_to_audit_when_none_exists(seeded_db):
    app = make_app(seeded_db)
    async with app.run_test(size=(140, 50)) as pilot:
        await open_audits(app, pilot)
        await wait_for(pilot, lambda: "No judge has been audited yet" in screen_text(app), timeout=60)


async def test_judge_audits_screen_shows_each_audited_judge(seeded_db):
    run_arena(
        seeded_db,
        "judges",
        "audit",
        "--judge",
        "sim/judge",
        "--judge",
        "sim/j?side_bias=0.3",
        "--debates",
        "20",
        "--seed",
        "2",
    )
    app = make_app(seeded_db)
    async with app.run_test(size=(160, 60)) as pilot:
        await open_audits(app, pilot)
        await wait_for(pilot, lambda: "side_bias" in screen_text(app), timeout=60)
        text = screen_text(app)
        assert "sim/judge" in text and "sim/j?side_bias=0.3" in text
        assert "ground_truth_accuracy" in text and "concerns" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")

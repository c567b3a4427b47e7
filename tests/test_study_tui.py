"""The Debate studies screen of the TUI: opened from the command palette, it shows what
the store holds for each protocol."""

from __future__ import annotations

from test_tui_support import SIZE, make_app, screen_text, seeded_db, tui_env, wait_for  # noqa: F401


async def test_studies_screen_shows_the_order_study_of_the_store(seeded_db):
    app = make_app(seeded_db)
    async with app.run_test(size=(140, 60)) as pilot:
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Debate studies" in commands
        commands["Debate studies"].callback()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "StudiesScreen")
        # the heading shows before the tables are drawn: wait for what the test reads
        await wait_for(
            pilot,
            lambda: (
                "Speaking order" in screen_text(app)
                and "sequential" in screen_text(app)
                and "Adaptive break" in screen_text(app)
            ),
            timeout=60,
        )
        text = screen_text(app)
        assert "quick" in text and "sequential" in text
        assert "Adaptive break" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")

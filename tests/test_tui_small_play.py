"""Playing at 80x24 (issue 23): the opponent's speech is readable from the editor (f2
enlarges its pane, the editor keeps the focus and a few lines; ctrl+up/down scroll it),
and the verdict's rating changes are in view without scrolling."""

from __future__ import annotations

from test_tui_support import empty_db, expect_screen, make_app, screen_text, tui_env, wait_for  # noqa: F401

SMALL = (80, 24)


async def start_playing(app, pilot, judges=("sim/judge-1",)):  # type: ignore[no-untyped-def]
    from textual.widgets import Select, SelectionList

    from arena.tui import prefs

    prefs.remember_player_name("ada")
    await pilot.press("p")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "NewDebateScreen")
    app.screen.query_one("#con", Select).value = "sim/alice"
    chosen = app.screen.query_one("#judges", SelectionList)
    for judge in judges:
        chosen.select(judge)
    await pilot.pause()
    await pilot.press("ctrl+s")


async def speak(app, pilot, words: str, bet: str) -> None:  # type: ignore[no-untyped-def]
    await wait_for(pilot, lambda: type(app.screen).__name__ == "SpeechEditor")
    await pilot.press(*words)
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "BetForm")
    await pilot.press(*bet, "enter")


def unwrapped(app) -> str:  # type: ignore[no-untyped-def]
    """The screen's words, borders and line ends aside."""
    return " ".join(w for w in screen_text(app).split() if w.strip("│█▊▎╭╮╰╯─▔▁▄▀"))


async def test_the_opponents_speech_is_read_from_the_editor_at_80x24(empty_db):
    from textual.widgets import TextArea

    app = make_app(empty_db)
    async with app.run_test(size=SMALL) as pilot:
        await start_playing(app, pilot)
        await speak(app, pilot, "Clean air saves lives in every city we studied.", "60")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SpeechEditor")
        editor = app.screen
        opponent = editor.turn.visible[-1]
        assert opponent.side == "con"
        words = opponent.text.split()
        # at once: the opponent's latest speech heads the pane (not the player's own opening)
        await expect_screen(pilot, "Opposition opening", " ".join(words[:4]))
        pane, text = editor.query_one("#editor-visible"), editor.query_one("#editor-text", TextArea)
        small = pane.outer_size.height
        await pilot.press("f2")  # enlarge: the whole speech in view, the editor still there and focused
        await wait_for(pilot, lambda: pane.outer_size.height >= 2 * small, what="an enlarged pane")
        await wait_for(pilot, lambda: " ".join(words[-6:]) in unwrapped(app), what="the speech's last words")
        assert app.focused is text and text.outer_size.height >= 4 and text.display
        assert "Opposition opening" in screen_text(app)
        await pilot.press(*"We win.")
        assert text.text == "We win."
        for _ in range(6):  # up to the player's own opening, the editor still focused
            await pilot.press("ctrl+up")
        await wait_for(pilot, lambda: "Proposition opening (you)" in screen_text(app), what="scrolled up")
        assert app.focused is text
        await pilot.press("f2")  # and back: the room goes to the speech again
        await wait_for(pilot, lambda: pane.outer_size.height == small, what="the pane restored")
        assert text.outer_size.height > 6


async def test_the_verdicts_rating_changes_are_in_view_at_80x24(empty_db):
    app = make_app(empty_db)
    async with app.run_test(size=SMALL) as pilot:
        # three judges: their ballots and reasons fill more than the verdict's room
        await start_playing(app, pilot, judges=("sim/judge-1", "sim/judge-2", "sim/judge-3"))
        await speak(app, pilot, "Clean air saves lives.", "60")
        await speak(app, pilot, "We showed the harm.", "70")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LiveDebateScreen")
        live = app.screen
        await wait_for(pilot, lambda: live.result is not None)
        shown = await expect_screen(pilot, "ballots", "sim/judge-1")
        shown = await expect_screen(pilot, "Elo 1000 →", " ada ")
        assert shown.count("Elo 1000 →") == 2  # both sides' changes, without scrolling

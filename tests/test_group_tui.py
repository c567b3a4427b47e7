"""The app's Group discussions screen (issue 22): opened from the command palette, it
lists the stored groups with their metrics and intervals, and for the selected group
each member's opinion trajectory as a small plot and every event in order."""

from __future__ import annotations

from test_tui_support import SIZE, empty_db, expect_screen, make_app, tui_env, wait_for  # noqa: F401

from arena.config import Config
from arena.llm.gateway import Gateway
from arena.store.store import Store
from arena.studies.group_run import GroupSpec, run_group
from arena.studies.groups import group_metrics

CARS = "Cities should ban private cars from their centres"
HOMEWORK = "Homework should be abolished in primary schools"


async def store_groups(db: str, *specs: GroupSpec):  # type: ignore[no-untyped-def]
    """Simulated groups stored as `arena group run` stores them (another process, say)."""
    store = Store(db)
    try:
        return [await run_group(spec, Config(), Gateway(backoff_base_s=0.0), store) for spec in specs]
    finally:
        store.engine.dispose()


async def open_groups(app, pilot) -> None:  # type: ignore[no-untyped-def]
    commands = {c.title: c for c in app.get_system_commands(app.screen)}
    commands["Group discussions"].callback()
    await wait_for(pilot, lambda: type(app.screen).__name__ == "GroupsScreen")


async def test_groups_screen_lists_groups_and_draws_each_members_trajectory(empty_db):
    from arena.tui.widgets.plot import LinePlot

    cars, homework = await store_groups(
        empty_db,
        GroupSpec(CARS, ["sim/a?conformity=0.8", "sim/b?conformity=0.8", "sim/c", "sim/d"], rounds=3, seed=4),
        GroupSpec(HOMEWORK, ["sim/a", "sim/b", "sim/c"], rounds=2, seed=5),
    )
    app = make_app(empty_db)
    async with app.run_test(size=(120, 60)) as pilot:
        await open_groups(app, pilot)
        # newest first: the homework group is selected; its metrics carry intervals and counts
        change = group_metrics(homework).metrics["opinion_change"]
        paths = [f"{label}  " + "→".join(str(v) for _, v in homework.trajectory(label)) for label in homework.members]
        shown = await expect_screen(
            pilot, "2 groups", "Homework should be", "Cities should ban", "Events in order", *paths
        )
        assert f"{change.value:.2f} [{change.lo:.2f}, {change.hi:.2f}] n=3" in shown
        assert len(app.screen.query(LinePlot)) == 3
        first = homework.events[0]
        assert f"R0 {first.member}  private opinion {first.slider}/6" in shown
        # the other group, selected: four plots, its own trajectories and posts
        await pilot.press("down")
        paths = ["→".join(str(v) for _, v in cars.trajectory(label)) for label in cars.members]
        shown = await expect_screen(pilot, *[f"{label}  {p}" for label, p in zip(cars.members, paths)])
        assert len(app.screen.query(LinePlot)) == 4 and "public post (stance" in shown
        assert "convergence" in shown and "sim/a?conformity=0.8" in shown

    async with make_app(empty_db).run_test(size=(80, 24)) as pilot:  # narrow: one metric a line, none wrapped
        await open_groups(pilot.app, pilot)
        change = group_metrics(homework).metrics["opinion_change"]
        shown = await expect_screen(pilot, f"opinion change     {change.text(2)}", "spread by round")
        (line,) = [line for line in shown.splitlines() if f"opinion change     {change.text(2)}" in line]
        assert "convergence" not in line


async def test_a_group_stored_elsewhere_shows_up_while_the_screen_is_open(empty_db):
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_groups(app, pilot)
        await expect_screen(pilot, "No group discussions yet", "arena group run")
        await store_groups(empty_db, GroupSpec(HOMEWORK, ["sim/a", "sim/b"], rounds=1))
        await expect_screen(pilot, "Homework should be", "Events in order", absent=("No group discussions yet",))
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")


def form(app):  # type: ignore[no-untyped-def]
    """The person's open form (GroupTurnForm), or None."""
    from arena.tui.screens.group_turn import GroupTurnForm

    return app.screen if isinstance(app.screen, GroupTurnForm) else None


async def answer(pilot, phase: str, round_no: int, *keys: str) -> str:  # type: ignore[no-untyped-def]
    """Wait for the person's form of this phase and round, note what it shows as seen, type."""
    app = pilot.app
    await wait_for(
        pilot,
        lambda: form(app) is not None and (form(app).turn.phase, form(app).turn.round) == (phase, round_no),
        what=f"the person's {phase} form of round {round_no}",
    )
    seen = str(form(app).query_one("#gt-history").render())
    await pilot.press(*keys)
    return seen


async def test_a_person_takes_a_seat_in_a_group_discussion(empty_db):
    from arena.store.group_store import load_groups
    from arena.studies.group_report import as_discussion
    from arena.studies.group_run import history
    from arena.tui import prefs

    prefs.remember_player_name("ada")
    app = make_app(empty_db)
    async with app.run_test(size=(110, 40)) as pilot:
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        commands["New group discussion"].callback()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewGroupScreen")
        await expect_screen(pilot, "New group discussion", "human:ada")
        members = app.screen.query_one("#gn-members")
        members.value = "me, sim/b?conformity=0.5, sim/c, nobody"
        await pilot.press(*HOMEWORK, "enter")  # the topic, then start: a bad member is refused in the form
        await expect_screen(pilot, "unknown participant 'nobody'")
        members.value = "me, sim/b, nosuch/model"
        await pilot.press("enter")  # the CLI's pre-flight: a mistyped provider is refused in the form too
        await expect_screen(pilot, "unknown provider 'nosuch'")
        members.value = "me, sim/b?conformity=0.5, sim/c"
        app.screen.query_one("#gn-rounds").value = "2"
        await pilot.click("#gn-start")
        seen: dict[tuple[str, int], str] = {}
        seen["opinion", 0] = await answer(pilot, "opinion", 0, *"Some homework builds habits", "ctrl+s")
        await expect_screen(pilot, "choose how much you agree")  # no slider chosen yet: asked again
        await pilot.press("tab", "enter", "down", "down", "enter", "ctrl+s")  # the slider: 2
        seen["post", 1] = await answer(pilot, "post", 1, *"Keep homework but keep it short", "ctrl+s")
        seen["message", 1] = await answer(pilot, "message", 1, "enter", "up", "enter", *"C, meet halfway?")
        await pilot.press("ctrl+s")
        seen["opinion", 1] = await answer(pilot, "opinion", 1, *"Still for a little", "tab", "enter", "down")
        await pilot.press("down", "down", "enter", "ctrl+s")  # 3
        seen["post", 2] = await answer(pilot, "post", 2, *"Short homework is a fair middle way", "ctrl+s")
        seen["message", 2] = await answer(pilot, "message", 2, "ctrl+s")  # no message
        seen["opinion", 2] = await answer(pilot, "opinion", 2, *"Short homework", "tab", "enter")
        await pilot.press("down", "down", "down", "down", "enter", "ctrl+s")  # 4
        await expect_screen(pilot, "stored as group-", "press g")
        store = app.store
        (stored,) = load_groups(store)
        d = as_discussion(stored)
        # The person's answers, in order, where a model member's would be.
        mine = [(e.kind, e.round, e.slider, e.recipient, e.text) for e in d.events if e.member == "A"]
        assert mine == [
            ("opinion", 0, 2, None, "Some homework builds habits"),
            ("post", 1, None, None, "Keep homework but keep it short"),
            ("message", 1, None, "C", "C, meet halfway?"),
            ("opinion", 1, 3, None, "Still for a little"),
            ("post", 2, None, None, "Short homework is a fair middle way"),
            ("opinion", 2, 4, None, "Short homework"),
        ]
        assert (stored.members[0].participant, stored.members[0].kind) == ("human:ada", "person")
        # Each form showed exactly the history a model member in that seat is given.
        order = {"post": (), "message": ("post",), "opinion": ("post", "message")}
        for (phase, r), shown in seen.items():
            before = [e for e in d.events if r and (e.round < r or (e.round == r and e.kind in order[phase]))]
            assert shown == history(before, "A").rstrip()
        assert "Post by B (round 1)" in seen["message", 1] and "Message from" not in seen["post", 1]
        # g: the new group among the group discussions, the person's trajectory drawn
        await pilot.press("g")
        await expect_screen(pilot, "Group discussions", "A  2→3→4", "human:ada")


async def test_the_persons_form_never_drops_what_was_typed(empty_db):
    """Issue 22's walk: choosing a recipient moved the focus to the text box, so a habitual
    Tab moved on to the button and the message typed went nowhere. Now the focus stays on
    the list and Tab reaches the text; a letter typed on a list starts the text; a digit on
    the slider picks it; a message written while 'no message' is chosen is asked about."""
    from arena.store.group_store import load_groups
    from arena.studies.group_report import as_discussion
    from arena.tui import prefs

    prefs.remember_player_name("ada")
    app = make_app(empty_db)
    async with app.run_test(size=(110, 40)) as pilot:
        app.go("new-group")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewGroupScreen")
        await expect_screen(pilot, "New group discussion", "human:ada")
        app.screen.query_one("#gn-members").value = "me, sim/b, sim/c"
        app.screen.query_one("#gn-rounds").value = "2"
        await pilot.press(*HOMEWORK, "enter")
        await answer(pilot, "opinion", 0, *"Some is fine", "tab", "2")  # the digit picks the slider's 2
        await wait_for(pilot, lambda: form(app).focused is not None and form(app).focused.id == "gt-submit")
        await pilot.press("ctrl+s")
        await answer(pilot, "post", 1, *"Short homework only", "ctrl+s")
        await answer(pilot, "message", 1, "enter", "up", "enter")  # to C: the focus stays on the list
        await expect_screen(pilot, "Send to C", "your message to C")
        assert form(app).focused.id == "gt-to"
        await pilot.press("tab", *"C, meet halfway?")  # the habitual Tab reaches the text box
        assert form(app).query_one("#gt-text").value == "C, meet halfway?"
        await pilot.press("enter")  # Enter in the text sends it
        # a letter typed on the closed slider list starts the text instead of going nowhere
        await answer(pilot, "opinion", 1, "tab", *"Still for a little", "tab", "3", "ctrl+s")
        await answer(pilot, "post", 2, *"Short homework is a fair middle way", "ctrl+s")
        await answer(pilot, "message", 2, "tab", *"B, agreed?", "enter")  # written, but 'no message' chosen
        await expect_screen(pilot, "You wrote a message but chose 'no message'", "Send no message")
        assert form(app) is not None and form(app).turn.round == 2 and form(app).focused.id == "gt-to"
        await pilot.press("enter", "up", "up", "enter")  # to B
        await expect_screen(pilot, "Send to B")
        await pilot.press("ctrl+s")
        # back into the text with shift+tab: typing adds to it (it was selected, and replaced)
        await answer(pilot, "opinion", 2, *"Short", "tab", "shift+tab", *" homework", "tab", "4", "ctrl+s")
        await expect_screen(pilot, "stored as group-")
        (stored,) = load_groups(app.store)
        mine = [
            (e.kind, e.round, e.slider, e.recipient, e.text) for e in as_discussion(stored).events if e.member == "A"
        ]
        assert mine == [
            ("opinion", 0, 2, None, "Some is fine"),
            ("post", 1, None, None, "Short homework only"),
            ("message", 1, None, "C", "C, meet halfway?"),
            ("opinion", 1, 3, None, "Still for a little"),
            ("post", 2, None, None, "Short homework is a fair middle way"),
            ("message", 2, None, "B", "B, agreed?"),
            ("opinion", 2, 4, None, "Short homework"),
        ]


async def test_cancelling_a_group_from_the_persons_form_stores_nothing(empty_db):
    from arena.store.group_store import load_groups
    from arena.tui import prefs

    prefs.remember_player_name("ada")
    app = make_app(empty_db)
    async with app.run_test(size=(110, 40)) as pilot:
        app.go("new-group")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewGroupScreen")
        await pilot.press(*HOMEWORK, "enter")
        await answer(pilot, "opinion", 0, "ctrl+x")
        await expect_screen(pilot, "cancelled: nothing was stored")
        assert load_groups(app.store) == []
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")


async def test_on_a_small_terminal_what_the_person_has_seen_scrolls_with_page_keys(empty_db):
    from textual.containers import VerticalScroll

    from arena.tui import prefs

    prefs.remember_player_name("ada")
    app = make_app(empty_db)
    async with app.run_test(size=(80, 24)) as pilot:
        app.go("new-group")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewGroupScreen")
        await pilot.press(*HOMEWORK, "enter")
        await answer(pilot, "opinion", 0, *"Some is fine", "tab", "enter", "down", "enter", "ctrl+s")
        await answer(pilot, "post", 1, *"Short homework only", "ctrl+s")
        await answer(pilot, "message", 1)  # the three others' posts and the person's own: more than fits
        await expect_screen(pilot, "more than fits: PgUp/PgDn", "Scroll what you have seen")
        seen = form(app).query_one("#gt-seen", VerticalScroll)
        at_end = seen.scroll_y
        assert at_end > 0  # it opens at the latest lines
        await pilot.press("pageup")  # from the recipient field: the box scrolls, the field keeps the focus
        await wait_for(pilot, lambda: seen.scroll_y < at_end)
        assert form(app).focused is not None and form(app).focused.id == "gt-to"


async def test_stored_text_is_shown_literally(empty_db, tmp_path):
    """An imported post with markup and an escape code shows as text: no markup is
    parsed, no escape code reaches the terminal."""
    from arena.studies.group_import import import_debate_groups

    folder = tmp_path / "debate"
    folder.mkdir()
    rows = [
        '0,1,Initial Opinion,w1,,,"[bold]no[/x]",2,,1',
        '0,2,Initial Opinion,w2,,,"yes",5,,1',
        '1,3,tweet,w1,,,"I disagree [red]a lot[/red] \x1b[2Jhere",,,1',
        '1,4,Opinion,w1,,,"still no",2,,1',
        '1,5,Opinion,w2,,,"yes",5,,1',
    ]
    header = "chat_round_order,event_order,event_type,worker_id,sender_id,recipient_id,text,sliderValue,agreement_level,validity"
    (folder / "c.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    store = Store(empty_db)
    outcome = await import_debate_groups(folder, "people", "sim/rater", CARS, Config(), Gateway(), store)
    store.engine.dispose()
    assert outcome.imported == 1
    app = make_app(empty_db)
    async with app.run_test(size=(120, 50)) as pilot:
        await open_groups(app, pilot)
        shown = await expect_screen(pilot, "[bold]no[/x]", "I disagree [red]a lot[/red] here", "a person (imported)")
        assert "\x1b" not in shown

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
        shown = await expect_screen(pilot, "Homework should be", "Cities should ban", "Events in order", *paths)
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


async def test_a_group_stored_elsewhere_shows_up_while_the_screen_is_open(empty_db):
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_groups(app, pilot)
        await expect_screen(pilot, "No group discussions yet", "arena group run")
        await store_groups(empty_db, GroupSpec(HOMEWORK, ["sim/a", "sim/b"], rounds=1))
        await expect_screen(pilot, "Homework should be", "Events in order", absent=("No group discussions yet",))
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")

"""New group discussion (issue 22): a topic, the members (`me` is the player, a person
who answers in forms, human:NAME), the rounds and a seed; then the group runs here.

The run is `studies.group_run.run_group` on the app's loop; this screen is its
`PersonAnswers`: when it is the person's turn it opens `GroupTurnForm` and waits. Each
phase's members answer at once, so the models write while the person does. The group
is stored when it ends (a cancelled one is not); the Group discussions screen shows it."""

from __future__ import annotations

import asyncio
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Header, Input, Label, Static
from textual.worker import Worker, WorkerState

from arena.debate.options import MAX_SEED
from arena.errors import UsageProblem
from arena.literal import literal
from arena.studies.group_run import GroupRows, GroupSpec, PersonTurn, run_group, seats_for
from arena.tui.base import ArenaScreen
from arena.tui.screens.answers import ask_person

ME = "me"
DEFAULT_MEMBERS = "me, sim/b?conformity=0.5, sim/c?conformity=0.5, sim/d"


def members_of(text: str, player: str) -> list[str]:
    """The members typed, comma-separated; `me` (or `you`) is the player."""
    members = [m.strip() for m in text.split(",") if m.strip()]
    return [f"human:{player}" if m.lower() in (ME, "you") else m for m in members]


def whole(text: str, what: str, lo: int, hi: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise UsageProblem(f"{what}: a whole number from {lo} to {hi}, got {text.strip()!r}") from None
    if not lo <= value <= hi:
        raise UsageProblem(f"{what}: a whole number from {lo} to {hi}, got {value}")
    return value


class NewGroupScreen(ArenaScreen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+s", "start", "Start", priority=True),
    ]

    def __init__(self, player: str) -> None:
        super().__init__()
        self.player = player

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="gn-form"):
            yield Static(
                Content.assemble(
                    ("New group discussion", "bold $text-accent"),
                    (
                        "\nEach member gives a private opinion (a sentence or two and 1-6), then in each round a "
                        "public post, an optional direct message to one member, and a private opinion again. "
                        f"`me` is you (human:{self.player}): you answer in forms and see exactly what the other "
                        "members see.",
                        "$text-muted",
                    ),
                )
            )
            yield Label("Topic")
            yield Input(placeholder="e.g. Cities should ban private cars from their centres", id="gn-topic")
            yield Label("Members (2-26, comma-separated: me, models, arena.toml names, sim/…)")
            yield Input(DEFAULT_MEMBERS, id="gn-members")
            with Horizontal(id="gn-numbers"):
                with Vertical():
                    yield Label("Rounds")
                    yield Input("3", id="gn-rounds", type="integer")
                with Vertical():
                    yield Label("Seed")
                    yield Input("1", id="gn-seed", type="integer")
            yield Static(id="gn-error")
            yield Button("Start", variant="primary", id="gn-start", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "New group discussion"
        self.query_one("#gn-topic", Input).focus()

    def spec(self) -> GroupSpec:
        """The form as a group, checked as the run would check it (raises UsageProblem)."""
        value = {key: self.query_one(f"#gn-{key}", Input).value for key in ("topic", "members", "rounds", "seed")}
        topic = " ".join(value["topic"].split())
        if not topic:
            raise UsageProblem("Topic: the motion or question the group discusses")
        members = members_of(value["members"], self.player)
        if sum(m.startswith("human:") for m in members) > 1:
            raise UsageProblem("Members: one person per group here (`me`); the others are models")
        spec = GroupSpec(
            topic,
            members,
            rounds=whole(value["rounds"], "Rounds", 1, 20),
            seed=whole(value["seed"], "Seed", 0, MAX_SEED),
        )
        seats_for(spec, self.arena.config, people=True)  # names and sizes, as the run checks them
        from arena.readiness import name_targets, require_ready

        require_ready(name_targets(members, [], self.arena.config))  # the CLI's pre-flight: a typo is refused here
        return spec

    @on(Input.Submitted)
    @on(Button.Pressed, "#gn-start")
    def action_start(self) -> None:
        try:
            spec = self.spec()
        except UsageProblem as problem:
            said = str(problem)
            self.query_one("#gn-error", Static).update(Content.styled(said, "$text-error"))
            field = next((f for f in ("topic", "rounds", "seed") if said.startswith(f.capitalize())), "members")
            self.query_one(f"#gn-{field}", Input).focus()  # where the mistake is
            return
        self.app.switch_screen(GroupRunScreen(spec, self.player))


class GroupRunScreen(ArenaScreen[None]):
    """Runs one discussion, showing each phase as it ends; a person member answers in forms."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+x", "cancel", "Cancel discussion"),
        Binding("g", "open_groups", "Group discussions"),
    ]

    def __init__(self, spec: GroupSpec, player: str) -> None:
        super().__init__()
        self.spec = spec
        self.player = player
        self.worker: Worker | None = None
        self.stored: str | None = None

    @property
    def busy(self) -> bool:
        """A running discussion is never closed by navigation (app.go)."""
        return self.worker is not None and self.worker.state in (WorkerState.PENDING, WorkerState.RUNNING)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="gr-body"):
            yield Static(
                Content.assemble(
                    (self.spec.topic, "bold $text-accent"),
                    (f"\n{len(self.spec.members)} members · {self.spec.rounds} round(s) · seed {self.spec.seed}\n"),
                    *[
                        (f"{chr(65 + i)} {m}{' (you)' if m.startswith('human:') else ''}   ", "$text-muted")
                        for i, m in enumerate(self.spec.members)
                    ],
                ),
                id="gr-head",
            )
            yield Static(id="gr-log")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Group discussion"
        self.lines: list[str] = []
        self.worker = self._run()

    def _log(self, line: str) -> None:
        self.lines.append(line)
        self.query_one("#gr-log", Static).update(Content(literal("\n".join(self.lines))))  # never markup

    @work(exclusive=True, group="group-run")
    async def _run(self) -> None:
        from arena.tui import data

        app = self.arena
        store = await asyncio.to_thread(lambda: app.store)  # opened off the loop, if not yet

        async def save(rows: GroupRows) -> None:
            await asyncio.to_thread(data.save_group, store, rows)

        self._log("the members give their initial private opinions…")
        discussion = await run_group(self.spec, app.config, app.gateway, None, self._log, people=self, save=save)
        self.stored = discussion.id
        self._log(f"stored as {discussion.id}: press g to see it among the group discussions")
        self.notify(f"Stored as {discussion.id}", title="Group discussion finished")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self._log(f"stopped: {error}")
            self.notify(f"{type(error).__name__}: {error}", severity="error")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.busy
        if action == "open_groups":
            return not self.busy
        return True

    def action_cancel(self) -> None:
        if self.busy and self.worker is not None:
            self.worker.cancel()
            self._log("cancelled: nothing was stored")
            self.notify("Cancelled. Nothing was stored.", title="Group discussion cancelled")

    def action_back(self) -> None:
        if self.busy:
            self.notify("The discussion is running: ctrl+x cancels it (nothing is stored).", severity="warning")
            return
        self.app.pop_screen()

    def action_open_groups(self) -> None:
        self.arena.go("groups")

    # -- the person's seat (studies.group_run.PersonAnswers) -------------------------

    async def opinion(self, turn: PersonTurn) -> tuple[str, int]:
        text, slider = await self._ask(turn)
        return str(text), int(slider)

    async def post(self, turn: PersonTurn) -> str:
        return str(await self._ask(turn))

    async def message(self, turn: PersonTurn) -> tuple[str, str] | None:
        result = await self._ask(turn)
        return None if result is None else (str(result[0]), str(result[1]))

    async def _ask(self, turn: PersonTurn) -> Any:
        from arena.tui.screens.group_turn import GroupTurnForm

        result = await ask_person(self.app, GroupTurnForm(turn, f"human:{self.player}"), self.action_cancel)
        what = {"opinion": "private opinion", "post": "public post", "message": "direct message"}[turn.phase]
        sent = "no direct message" if turn.phase == "message" and result is None else f"your {what} is in"
        self._log(f"round {turn.round}: {sent}; the other members may still be writing…")
        return result

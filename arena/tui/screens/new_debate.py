"""New debate: a motion (searchable, filtered by category, with its info slide), a format,
the two sides and the judges; then start and watch it live.

The sides can be any model named in arena.toml, the embedded model, the simulator, an
Agent4Debate team, a model typed by hand, or "me" (the player, human:NAME)."""

from __future__ import annotations

import importlib.util
import random

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Header, Input, Label, OptionList, Select, SelectionList, Static
from textual.widgets.option_list import Option

from arena.categories import CATEGORIES
from arena.config import Config
from arena.debate.formats import load_format, preset_names
from arena.debate.options import CONDITIONS, ArenaCondition, DebateOptions
from arena.motions import Motion, load_motions
from arena.play import DebateRequest
from arena.tui import prefs
from arena.tui.base import ArenaScreen
from arena.tui.widgets.common import motion_gist
from arena.tui.widgets.toggles import StateSelectionList

ME = "human:"  # stands for the player; the name is filled in at start
OTHER = "other"
RANDOM = "__random__"
EMBEDDED = "local/smollm2"
SIMULATED = [
    ("sim/alice", "simulator"),
    ("sim/bob", "simulator"),
    ("sim/strong?skill=0.85", "stronger sim"),
    ("sim/weak?skill=0.2", "weaker sim"),
]
SIM_JUDGES = ["sim/judge-1", "sim/judge-2", "sim/judge-3"]


def side_options(config: Config, player: str | None) -> list[tuple[str, str]]:
    """(label, value) choices for a side, the people and the offline models first."""
    options = [
        (f"me ({'human:' + player if player else 'you, as a human'})", ME),
        (f"{EMBEDDED}  · embedded, offline", EMBEDDED),
    ]
    options += [(f"{model}  · {note}", model) for model, note in SIMULATED]
    for name, settings in sorted(config.participants.items()):
        options.append((f"{name}  · {settings.model} (arena.toml)", name))
    if importlib.util.find_spec("arena.debate.team") is not None:
        options.append((f"team:a4d@{EMBEDDED}  · agent team", f"team:a4d@{EMBEDDED}"))
        options.append(("team:a4d@sim/alice  · agent team", "team:a4d@sim/alice"))
        for _name, settings in sorted(config.participants.items()):
            options.append((f"team:a4d@{settings.model}  · team", f"team:a4d@{settings.model}"))
    options.append(("other model…  · type its name", OTHER))
    return options


def side_model(config: Config, side: str) -> str:
    """The model a side's choice calls (an arena.toml name, a team's base model, or itself)."""
    if side in config.participants:
        return config.participants[side].model
    return side.split("@", 1)[-1]


def default_judges(config: Config, pro: str, con: str) -> list[str]:
    """The judges the form opens with (they change only when the user changes them):
    arena.toml's default panel; else never a judge that is also a debater (models favour
    their own text, and the arena flags such ballots): the embedded model judges unless it
    debates, and then, as when no side is a real model (an instant dry run, practice
    against the simulator), a simulated judge, which is instant and rewards reasoned
    sentences over assertions."""
    if config.default_judges:
        return list(config.default_judges)
    models = {side_model(config, side) for side in (pro, con)}
    if EMBEDDED in models or all(m.startswith(("sim/", "human:")) for m in models):
        return [SIM_JUDGES[0]]
    return [EMBEDDED]


def judge_options(config: Config, chosen: list[str]) -> list[tuple[str, str, bool]]:
    defaults = set(chosen)
    names = list(
        dict.fromkeys(
            [*config.judges, *config.default_judges, EMBEDDED, *SIM_JUDGES, *(n for n in config.participants)]
        )
    )
    out = []
    for name in names:
        settings = config.judges.get(name) or config.participants.get(name)
        label = f"{name}  · {settings.model}" if settings and settings.model != name else name
        if name == SIM_JUDGES[0]:
            label += "  · simulated, instant"
        out.append((label, name, name in defaults))
    return out


class NewDebateScreen(ArenaScreen[None]):
    BINDINGS = [
        Binding("ctrl+s", "start", "Start", priority=True),
        Binding("ctrl+r", "random_motion", "Random motion"),
        Binding("ctrl+f", "focus_search", "Search", show=False),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, player: str | None = None) -> None:
        super().__init__()
        self.player = player  # set when opened with p: the player takes a side
        self.library = load_motions()
        self.motion: Motion | None = None
        self.shown: list[Motion] = []

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        config: Config = self.arena.config
        sides = side_options(config, self.player or prefs.player_name())
        # Playing: you against the embedded model. Watching: two simulators, instant and offline.
        pro, con = (ME, EMBEDDED) if self.player else ("sim/alice", "sim/bob")
        yield Header()
        with Horizontal(id="new"):
            with Vertical(id="new-motions"):
                with Horizontal(classes="row"):
                    yield Input(placeholder="search motions…", id="search", compact=True)
                    yield Select([(c, c) for c in CATEGORIES], prompt="all", id="category", compact=True)
                yield OptionList(id="motion-list")
                yield Static(id="motion-info")
            with VerticalScroll(id="new-form", can_focus=False):
                yield Label("Proposition (for)", classes="field")
                yield Select(sides, value=pro, allow_blank=False, id="pro", compact=True)
                yield Input(
                    placeholder="provider/model, e.g. openai/gpt-4o-mini", id="pro-other", classes="other", compact=True
                )
                yield Label("Opposition (against)", classes="field")
                yield Select(sides, value=con, allow_blank=False, id="con", compact=True)
                yield Input(
                    placeholder="provider/model, e.g. ollama_chat/llama3", id="con-other", classes="other", compact=True
                )
                yield Label("Format", classes="field")
                yield Select(self._formats(), value="quick", allow_blank=False, id="format", compact=True)
                yield Label("Judges", classes="field")
                judges = default_judges(config, pro, con)
                yield StateSelectionList(*judge_options(config, judges), id="judges")
                yield Label("Bets", classes="field")
                yield Select(
                    [(self._condition_label(c), c) for c in CONDITIONS],
                    value="private",
                    allow_blank=False,
                    id="condition",
                    compact=True,
                )
                yield Static(id="new-error")
                yield Button("Start debate  ctrl+s", variant="primary", id="start", compact=True)
        yield Footer(compact=True)

    @staticmethod
    def _formats() -> list[tuple[str, str]]:
        out = []
        for name in preset_names():
            try:
                fmt = load_format(name)
                out.append((f"{name}  · {len(fmt.stages)} speeches, {len(fmt.rounds)} rounds", name))
            except Exception:
                out.append((name, name))
        return out

    @staticmethod
    def _condition_label(condition: str) -> str:
        return {
            "private": "private  · opponent never sees",
            "public": "public  · both see all bets",
            "self": "self  · told: facing a copy",
            "informed": "informed  · told: 50% is fair",
        }.get(condition, condition)

    def _condition(self) -> ArenaCondition:
        chosen = self.query_one("#condition", Select).value
        return next((c for c in CONDITIONS if c == chosen), "private")

    def on_mount(self) -> None:
        self.title = "Play as a human" if self.player else "New debate"
        self._fill_motions()
        self.query_one("#motion-list", OptionList).focus()
        self._show_other_inputs()

    # -- motions -------------------------------------------------------------------

    def _fill_motions(self) -> None:
        search = self.query_one("#search", Input).value
        category = self.query_one("#category", Select).value
        motions = self.library.search(search) if search.strip() else self.library.all()
        if isinstance(category, str):
            motions = [m for m in motions if m.category == category]
        self.shown = motions
        listing = self.query_one("#motion-list", OptionList)
        listing.clear_options()
        options: list[Option | None] = [Option(Content.styled("⚄ a random motion", "italic $text-accent"), id=RANDOM)]
        category_now = None
        for m in motions:
            if m.category != category_now:
                category_now = m.category
                options.append(Option(Content.styled(f"── {m.category} ──", "bold $text-muted"), disabled=True))
            options.append(Option(motion_gist(m.text), id=m.id))
        listing.add_options(options)
        keep = self.motion.id if self.motion and self.motion in motions else RANDOM
        listing.highlighted = next((i for i, o in enumerate(options) if o is not None and o.id == keep), 0)
        self._show_motion(None if keep == RANDOM else self.motion)

    @on(Input.Changed, "#search")
    def _search(self) -> None:
        self._fill_motions()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#motion-list", OptionList).focus()

    @on(Select.Changed, "#category")
    def _category(self) -> None:
        self._fill_motions()

    @on(OptionList.OptionHighlighted, "#motion-list")
    def _highlight(self, event: OptionList.OptionHighlighted) -> None:
        mid = event.option.id
        self.motion = None if mid in (None, RANDOM) else self.library.get(mid)
        self._show_motion(self.motion)

    @on(OptionList.OptionSelected, "#motion-list")
    def _select(self) -> None:
        self.query_one("#pro", Select).focus()

    def _show_motion(self, motion: Motion | None) -> None:
        info = self.query_one("#motion-info", Static)
        if motion is None:
            info.update(
                Content.assemble(
                    ("A random motion", "bold"),
                    "\n",
                    (
                        f"drawn from the library when the debate starts ({len(self.shown)} match the filter)",
                        "$text-muted",
                    ),
                )
            )
            return
        parts: list[Content] = [
            Content.styled(motion.text, "bold"),
            Content.styled(f"{motion.category} · {motion.id}", "$text-muted"),
        ]
        if motion.info_slide:
            parts.append(Content.styled(motion.info_slide, "italic"))
        info.update(Content("\n").join(parts))

    def action_random_motion(self) -> None:
        pool = self.shown or self.library.all()
        if pool:
            pick = random.choice(pool)
            listing = self.query_one("#motion-list", OptionList)
            listing.highlighted = next(i for i, o in enumerate(listing.options) if o.id == pick.id)

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    # -- sides ---------------------------------------------------------------------

    @on(Select.Changed, "#pro, #con")
    def _side_changed(self) -> None:
        # The judges stay as they are: only the user changes them. Following the sides
        # switched a simulated judge to the embedded one (minutes a debate) as soon as a
        # side became "other model…", before its name was even typed.
        self._show_other_inputs()
        self.query_one("#new-error", Static).update("")

    def _show_other_inputs(self) -> None:
        for side in ("pro", "con"):
            chosen = self.query_one(f"#{side}", Select).value
            self.query_one(f"#{side}-other", Input).display = chosen == OTHER

    def _side_value(self, side: str) -> str | None:
        chosen = self.query_one(f"#{side}", Select).value
        if chosen == OTHER:
            typed = self.query_one(f"#{side}-other", Input).value.strip()
            return typed or None
        return str(chosen)

    # -- start ---------------------------------------------------------------------

    def _error(self, message: str) -> None:
        self.query_one("#new-error", Static).update(Content.styled(message, "$text-error"))

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        pro, con = self._side_value("pro"), self._side_value("con")
        if pro is None or con is None:
            self._error("Type a model for “other model…” (provider/model).")
            return
        if pro == ME and con == ME:
            self._error("You can take one side; pick a model for the other.")
            return
        judges = [str(j) for j in self.query_one("#judges", SelectionList).selected]
        if not judges:
            self._error("Pick at least one judge (space toggles).")
            return
        options = DebateOptions(
            format=str(self.query_one("#format", Select).value), judges=tuple(judges), condition=self._condition()
        )
        request = DebateRequest(pro=pro, con=con, motion=self.motion.id if self.motion else None, options=options)
        if ME in (pro, con):
            self.arena.with_player_name(lambda name: self._launch(request, name))
        else:
            self._launch(request, None)

    def _launch(self, request: DebateRequest, player: str | None) -> None:
        from arena.tui.screens.live import LiveDebateScreen

        if player:
            request.pro = f"human:{player}" if request.pro == ME else request.pro
            request.con = f"human:{player}" if request.con == ME else request.con
        try:
            screen = LiveDebateScreen.prepare(self.arena, request)
        except Exception as exc:  # a typo in a model name, a missing format: say it here
            self._error(str(exc))
            return
        self.app.switch_screen(screen)

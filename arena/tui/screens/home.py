"""Home: what the arena holds (participants, debates, the latest results, the top of
the table) and where to go from here, each with its key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from arena.tui import data
from arena.tui.base import ArenaScreen
from arena.tui.navigation import NAVIGATION
from arena.tui.widgets.common import SIDE_TEXT, ellipsize, motion_gist, when

LATEST = Content.styled("Latest results", "bold $text-primary")


class HomeScreen(ArenaScreen[None]):
    """Paints at once; what the store holds fills in when read (`shown`)."""

    shown: data.HomeView | None = None
    BINDINGS = [
        *(
            Binding(key, f"go('{name}')", title.split()[0] if key != "p" else "Play", priority=False)
            for key, (name, title, _) in NAVIGATION.items()
        ),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home"):
            with Vertical(id="home-menu"):
                yield Static("Debate Arena", id="home-title")
                yield Static("models · teams · people", id="home-tagline")
                yield OptionList(
                    *(
                        Option(Content.assemble((f" {key} ", "bold $text-accent"), f" {title}"), id=name)
                        for key, (name, title, _) in NAVIGATION.items()
                    ),
                    None,
                    Option(Content.assemble((" ? ", "bold $text-accent"), " Help"), id="help"),
                    Option(Content.assemble((" q ", "bold $text-accent"), " Quit"), id="quit"),
                    id="home-actions",
                )
                yield Static(Content.assemble(("ctrl+p", "bold"), " every command"), id="home-palette")
            with VerticalScroll(id="home-overview"):
                yield Static(id="home-counts")
                yield Static(
                    Content("\n").join([LATEST, Content.styled("reading the store…", "$text-muted")]), id="home-recent"
                )
                yield Static(id="home-top")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.watch_store(data.store_stamp, self.refresh_overview)

    def on_screen_resume(self) -> None:
        self.rewatch()

    def action_go(self, name: str) -> None:
        self.arena.go(name)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id
        if choice == "help":
            self.arena.action_help()
        elif choice == "quit":
            self.app.exit()
        elif choice:
            self.arena.go(choice)

    def refresh_overview(self) -> None:
        names = self.arena.names
        self.read(lambda store: data.home(store, names), self._show, group="home")

    def _show(self, home: data.HomeView) -> None:
        self.shown = home
        view = home.overview
        self.query_one("#home-counts", Static).update(self._counts(view, home.motions))
        self.query_one("#home-recent", Static).update(self._recent(view))
        self.query_one("#home-top", Static).update(self._top(view))

    def _counts(self, view: data.Overview, motions: int) -> Content:
        figures = [
            (view.participants, "participants" + (f" ({view.humans} human)" if view.humans else "")),
            (view.finished, "debate judged" if view.finished == 1 else "debates judged"),
        ]
        if view.void:
            figures.append((view.void, "void"))
        if view.running:
            figures.append((view.running, "running"))
        if view.tournaments:
            noun = "tournament" if view.tournaments == 1 else "tournaments"
            figures.append(
                (view.tournaments, f"{noun} ({view.tournaments_running} running)" if view.tournaments_running else noun)
            )
        figures.append((motions, "motions"))
        parts: list[Content] = []
        for n, label in figures:
            parts.append(Content.assemble((str(n), "bold $text-accent"), f" {label}"))
        return Content("  ·  ").join(parts)

    def _recent(self, view: data.Overview) -> Content:
        lines = [LATEST]
        if not view.recent:
            lines.append(
                Content.styled(
                    "No debates yet.\n"
                    "n  watch two models debate (the simulator is\n"
                    "   instant and offline)\n"
                    "p  debate the embedded model yourself\n"
                    "`arena demo` on the command line fills the\n"
                    "arena with a short offline tournament.",
                    "$text-muted",
                )
            )
            return Content("\n").join(lines)
        shown = self.arena.names
        for r in view.recent:
            stamp = Content.styled(when(r.finished_at)[5:] + "  ", "$text-muted")
            if r.status == "void":
                line = Content.assemble(("void ", "$text-error"), ellipsize(f"{shown(r.pro)} vs {shown(r.con)}", 44))
            elif r.winner == "tie":
                line = Content.assemble(ellipsize(f"{shown(r.pro)} tied {shown(r.con)}", 50))
            else:
                win, lose = (r.pro, r.con) if r.winner == "pro" else (r.con, r.pro)
                side = r.winner or "pro"
                line = Content.assemble(
                    (ellipsize(shown(win), 24), f"bold {SIDE_TEXT[side]}"),
                    (" beat ", "$text-muted"),
                    ellipsize(shown(lose), 24),
                )
            motion = Content.styled("  " + ellipsize(motion_gist(r.motion_text), 40), "$text-muted")
            lines.append(stamp + line + motion)
        return Content("\n").join(lines)

    def _top(self, view: data.Overview) -> Content:
        if not view.top:
            return Content("")
        lines = [Content.styled("\nTop by Elo", "bold $text-primary")]
        shown = self.arena.names
        for i, (pid, elo, n) in enumerate(view.top, start=1):
            lines.append(
                Content.assemble(
                    f"{i}. ",
                    (f"{elo:6.0f}", "bold"),
                    f"  {ellipsize(shown(pid), 36)}",
                    (f"  {n} debate{'s' * (n != 1)}", "$text-muted"),
                )
            )
        lines.append(Content.styled("press l for intervals and all three systems", "$text-muted italic"))
        return Content("\n").join(lines)

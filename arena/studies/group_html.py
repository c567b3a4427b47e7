"""The group discussions' section of the HTML export: per collection the metrics over its
groups, and for the latest groups each member's private-opinion trajectory as a small
SVG plot (rounds across, the 1-6 slider up).

Every value is escaped; the section is a pure function of the store's contents (seeded
intervals, groups in stored order), so an export stays byte-identical."""

from __future__ import annotations

from html import escape

from arena.store.group_store import group_collections, load_groups
from arena.store.store import Store
from arena.studies.group_report import discussions_from_store, member_name
from arena.studies.groups import METRICS, GroupMetrics, groups_report

PLOTS = 12  # the latest groups drawn
COLOURS = ("#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7b83", "#6e7781")
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 240, 130, 26, 56, 10, 20


def trajectory_svg(g: GroupMetrics) -> str:
    """One line per member: its private slider after each round."""
    rounds = sorted({r for points in g.trajectories.values() for r, _ in points}) or [0]
    last = max(rounds[-1], 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(r: int) -> float:
        return LEFT + plot_w * r / last

    def y(v: float) -> float:
        return TOP + plot_h * (6 - v) / 5

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{escape(f"private opinions of {g.id}")}">'
    ]
    for v in range(1, 7):
        out.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e3e6ec"/>'
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" fill="#5b6475">{v}</text>'
        )
    for r in range(0, last + 1):
        out.append(f'<text x="{x(r):.1f}" y="{HEIGHT - 4}" text-anchor="middle" fill="#5b6475">{r}</text>')
    for i, (member, points) in enumerate(g.trajectories.items()):
        colour = COLOURS[i % len(COLOURS)]
        # A small vertical offset per member keeps equal lines apart.
        nudge = (i - (len(g.trajectories) - 1) / 2) * 1.5
        coords = " ".join(f"{x(r):.1f},{y(v) + nudge:.1f}" for r, v in points)
        if len(points) > 1:
            out.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
        out += [f'<circle cx="{x(r):.1f}" cy="{y(v) + nudge:.1f}" r="2.5" fill="{colour}"/>' for r, v in points]
        out.append(
            f'<text x="{LEFT + plot_w + 6}" y="{TOP + 10 + 13 * i}" fill="{colour}">{escape(member[:10])}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def groups_section(store: Store) -> str:
    """ "" when the store holds no group discussion."""
    collections = group_collections(store)
    if not collections:
        return ""
    parts = [
        '<section id="groups"><h2>Group discussions</h2>',
        '<p class="meta">Private opinions on a 1–6 slider (1 strongly disagree … 6 strongly agree); mean over '
        "groups with a 95% bootstrap interval and the number of groups; rerun with <code>arena group …</code>.</p>",
    ]
    latest: list[GroupMetrics] = []
    for collection in collections:
        report = groups_report(discussions_from_store(store, collection))
        head = '<tr><th class="name">Metric</th><th>Over groups</th></tr>'
        rows = [(label, report.metrics[key].text(2)) for key, label in METRICS]
        rows += [(f"Spread of private opinions, round {r}", m.text(2)) for r, m in report.spread_by_round.items()]
        body = "".join(f'<tr><td class="name">{escape(a)}</td><td>{escape(b)}</td></tr>' for a, b in rows)
        parts += [
            f"<h3>{escape(collection)} ({len(report.groups)} groups)</h3>",
            f'<div class="scroll"><table><thead>{head}</thead><tbody>{body}</tbody></table></div>',
        ]
        latest += report.groups[-PLOTS:]
    parts.append("<h3>Private opinions, member by member (the latest groups of each collection)</h3>")
    parts.append('<p class="meta">Rounds across (0: the initial opinion), the 1–6 slider up.</p>')
    stored = {s.group.id: s for s in load_groups(store, ids=[g.id for g in latest])}
    for g in latest:
        people = {m.label for m in stored[g.id].members if m.participant} if g.id in stored else set()
        who = " · ".join(f"{label} {member_name(stored[g.id], label)}" for label in g.trajectories if label in people)
        parts.append(
            f'<figure style="display:inline-block;margin:.5rem;max-width:260px;vertical-align:top">'
            f"{trajectory_svg(g)}"
            f'<figcaption class="meta">{escape(g.topic[:60])}<br>{escape(g.id)}<br>{escape(who)}</figcaption></figure>'
        )
    parts.append("</section>")
    return "\n".join(parts)

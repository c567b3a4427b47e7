"""The QA study's section of the HTML export (`arena study qa`): the same report as the
terminal's, over every stored QA run: per debater its debate wins, its win rates
defending the official answer and the alternative, its plain accuracy beside them, and
each judge's accuracy, every rate with its 95% interval and count.

Every value is escaped; the section is a pure function of the store's contents, so an
export stays byte-identical."""

from __future__ import annotations

from html import escape

from arena.debate.model_names import shown_name
from arena.store.store import Store
from arena.studies.qa import RATE_COLUMNS, qa_from_store


def _rate(text: str) -> str:
    """A rate over two lines, the interval and count under the value: five of them fit a page."""
    value, bracket, rest = text.partition(" [")
    return escape(value) + (f'<br><span class="meta">{escape(bracket.strip() + rest)}</span>' if bracket else "")


def _row(cell: str, values: list[str], rates: bool = True) -> str:
    """The first cell is a name (left-aligned, as the board's); the others rates."""
    return "".join(
        f'<{cell} class="name">{escape(v)}</{cell}>'
        if i == 0
        else f"<{cell}>{_rate(v) if rates else escape(v)}</{cell}>"
        for i, v in enumerate(values)
    )


def _table(headers: list[str], rows: list[list[str]]) -> str:
    body = "".join(f"<tr>{_row('td', row)}</tr>" for row in rows)
    head = _row("th", headers, rates=False)
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def qa_section(store: Store) -> str:
    """ "" when the store holds no QA study."""
    report = qa_from_store(store)
    if not report.debates and not report.debaters:
        return ""
    parts = [
        '<section id="qa"><h2>QA sets as debates</h2>',
        f'<p class="meta">{report.debates} debates over the stored runs of <code>arena study qa</code>: in each, '
        "one debater defends a question's official answer and the other an alternative, before judges not told "
        "which is official. 95% Wilson intervals and counts.</p>",
        _table(["Debater", *RATE_COLUMNS], [[shown_name(r.debater), *r.rate_texts()] for r in report.debaters]),
        "<h3>Judges</h3>",
        _table(
            ["Judge", "Named the official answer's defender"],
            [["The panel's verdicts", report.truth_wins.text()]]
            + [[shown_name(judge), rate.text()] for judge, rate in report.judges.items()],
        ),
    ]
    notes = []
    if report.self_debates:
        notes.append(
            f"{report.self_debates} debate(s) of a debater against itself count toward the judges and the "
            "verdicts, not toward a debater's wins."
        )
    if report.undecided:
        notes.append(f"{report.undecided} debate(s) tied or void, left out of the win rates.")
    parts += [f'<p class="meta">{escape(n)}</p>' for n in notes]
    parts.append("</section>")
    return "\n".join(parts)

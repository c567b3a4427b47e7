"""The debate studies' section of the HTML export: one table per study that has data.

Every value is escaped; the section is a pure function of the store's contents (seeded
intervals, rows in key order), so an export stays byte-identical."""

from __future__ import annotations

from html import escape

from arena.store.store import Store
from arena.studies.intervals import Estimate, Mean, Proportion
from arena.studies.report import (
    beliefs_from_store,
    break_from_store,
    fallacy_from_store,
    order_from_store,
    personas_from_store,
)


def _cell(value: Proportion | Estimate | Mean | str | int) -> str:
    text = value.text() if isinstance(value, Proportion | Estimate | Mean) else str(value)
    return f"<td>{escape(text)}</td>"


def _table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def studies_section(store: Store) -> str:
    """ "" when the store holds nothing any study reports on."""
    parts: list[str] = []
    order = order_from_store(store)
    if order.formats:
        parts += [
            "<h3>Speaking order</h3>",
            _table(
                [
                    "Format",
                    "Kind",
                    "Debates",
                    "First speaker wins",
                    "Last speaker wins",
                    "Round's last speaker wins it",
                ],
                [
                    [
                        f.format,
                        "sequential" if f.sequential else "simultaneous",
                        f.debates,
                        f.first_speaker,
                        f.last_speaker,
                        f.round_last,
                    ]
                    for f in order.formats
                ],
            ),
            f'<p class="meta">Last speaker wins, sequential − simultaneous: '
            f"{escape(order.sequential_minus_simultaneous.text())}</p>",
        ]
    brk = break_from_store(store)
    if brk.debates:
        parts += [
            "<h3>Adaptive break</h3>",
            _table(
                ["Adaptive debates", "Broke early", "Calls saved per debate", "Early verdict = full verdict"],
                [[brk.debates, brk.broke_early, brk.calls_saved, brk.agreement]],
            ),
        ]
    fallacy = fallacy_from_store(store)
    if fallacy.rows:
        parts += [
            "<h3>Fallacy probes</h3>",
            _table(
                ["Debater", "Convinced, logical", "Convinced, fallacious", "Susceptibility"],
                [[r.debater, r.logical, r.fallacious, r.ratio] for r in fallacy.rows],
            ),
        ]
    beliefs = beliefs_from_store(store)
    if beliefs.rows or beliefs.sycophancy.n:
        parts += [
            "<h3>Prior beliefs</h3>",
            _table(
                ["Debater", "Wins arguing its prior", "Wins arguing against it", "Difference"],
                [[r.participant, r.with_prior, r.against_prior, r.gap] for r in beliefs.rows],
            ),
            f'<p class="meta">Sycophancy (chose the persona\'s side over its prior): '
            f"{escape(beliefs.sycophancy.text())}</p>",
        ]
    personas = personas_from_store(store)
    if personas.rows:
        parts += [
            "<h3>Judge personas</h3>",
            _table(
                ["Protocol", "Judge", "Persona", "Accuracy"],
                [[r.protocol, r.judge, r.persona or "(default)", r.accuracy] for r in personas.rows],
            ),
        ]
    if not parts:
        return ""
    return "\n".join(
        [
            '<section id="studies"><h2>Debate studies</h2>',
            '<p class="meta">95% intervals (Wilson for shares) and counts; rerun with <code>arena study …</code>.</p>',
            *parts,
            "</section>",
        ]
    )

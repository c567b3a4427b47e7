"""The call log on the terminal: `arena show ID --calls` (one line per call) and
`arena calls ID N` (one call in full), and both as JSON."""

from __future__ import annotations

import re
from dataclasses import asdict

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from arena.debate.model_names import shown_name
from arena.debate.records import CallUsage
from arena.store.call_log import StoredCall


def calls_table(debate_id: str, calls: list[StoredCall], usage: CallUsage | None) -> RenderableType:
    """Every call of a debate (or an audit run), and its totals beside the debate's own usage."""
    what = _named(debate_id)
    if not calls:
        unknown = "no such run, or " if what.startswith("study:") else ""
        return Text(f"{what}: no calls on record ({unknown}stored with the call log off, or before the arena kept one)")
    failed = sum(1 for c in calls if c.error)
    # 80 columns hold it: who and model share a column (the model named only where it is not
    # who's own, as with an agent team's role), and the error mark only when a call failed.
    table = Table(
        title=f"Model calls of {what}", box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 1, 0, 0), pad_edge=False
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("stage", min_width=11)
    table.add_column("who (model)", min_width=12, overflow="fold")
    table.add_column("for", no_wrap=True)
    table.add_column("in", justify="right", no_wrap=True)
    table.add_column("out", justify="right", no_wrap=True)
    table.add_column("s", justify="right", no_wrap=True)
    table.add_column("retry", justify="right", no_wrap=True)
    if failed:
        table.add_column("error", no_wrap=True)  # ✗ here; the errors in full under the table
    for c in calls:
        table.add_row(
            str(c.seq),
            Text(c.stage),
            Text(_who(c)),
            Text(c.purpose),
            f"{c.tokens_in:,}",
            f"{c.tokens_out:,}",
            f"{c.latency_s:.2f}",
            str(c.retries),
            *([Text("✗", style="red") if c.error else ""] if failed else []),
        )
    # An error in a narrow column is folded to pieces at 80 columns: each is a line below.
    errors = [Text(f"call {c.seq}: {c.error}", style="red") for c in calls if c.error]
    tokens_in = sum(c.tokens_in for c in calls)
    tokens_out = sum(c.tokens_out for c in calls)
    retries = sum(c.retries for c in calls)
    mine = f"{len(calls)} calls ({failed} failed, {retries} retries) · {tokens_in:,} tokens in · {tokens_out:,} out"
    if usage is not None:
        mine += (
            f" · the debate's usage: {usage.calls} answered calls, "
            f"{usage.tokens_in:,} in, {usage.tokens_out:,} out, {usage.retries} retries"
        )
    total = Text(f"{mine}\n`arena calls {debate_id} N` shows call N in full.")
    return Group(table, *errors, total)


def _who(call: StoredCall) -> str:
    """Who made the call, and the model where it is not who's own: `sim/alice?faults=0.1`
    for sim/alice, or sim/bob for `team:a4d@sim/bob`, is not repeated."""
    who = shown_name(call.who) if call.who else "-"
    model = call.model.split("?")[0]
    if not call.model or model == who.split("?")[0]:
        return call.model or who
    return who if who.endswith(f"@{call.model}") else f"{who} ({call.model})"


def _named(debate_id: str) -> str:
    """`debate 1a2b…` for a debate; a run (`audit:3`, `bench:1`, `study:…`, `group:…`) by its name alone."""
    return debate_id if re.match(r"(audit|bench|study|group):", debate_id) else f"debate {debate_id}"


def call_lines(debate_id: str, call: StoredCall) -> list[str]:
    """One call in full, as plain lines for `literal.echo`."""
    cost = "unknown" if call.cost is None else f"${call.cost:.6f}"
    lines = [
        f"call {call.seq} of {_named(debate_id)}: "
        f"{call.stage or '-'} · {shown_name(call.who) if call.who else '-'} · {call.purpose}",
        f"model {call.model}" + (f" at {call.api_base}" if call.api_base else ""),
        f"tokens {call.tokens_in:,} in, {call.tokens_out:,} out · latency {call.latency_s:.3f} s · "
        f"retries {call.retries} · cost {cost}",
    ]
    if call.error:
        lines.append(f"error: {call.error}")
    if call.messages is None:
        lines.append("(metadata only: the call log kept no text of this call)")
        return lines
    for n, (role, text) in enumerate(call.messages, start=1):
        lines += ["", f"── message {n}: {role} ──", text]
    lines += ["", "── answer ──", call.answer or "(none)"]
    return lines


def call_document(call: StoredCall) -> dict[str, object]:
    doc = asdict(call)
    if call.messages is not None:
        doc["messages"] = [{"role": role, "content": text} for role, text in call.messages]
    return doc

"""The call log on the terminal: `arena show ID --calls` (one line per call) and
`arena calls ID N` (one call in full), and both as JSON."""

from __future__ import annotations

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
    what = debate_id if debate_id.startswith("audit:") else f"debate {debate_id}"
    if not calls:
        return Text(f"{what}: no calls on record (stored with the call log off, or before the arena kept one)")
    table = Table(title=f"Model calls of {what}", box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("stage", min_width=10, ratio=2, overflow="fold")
    table.add_column("who", min_width=8, ratio=2, overflow="fold")
    table.add_column("for", no_wrap=True)
    table.add_column("model", ratio=1, overflow="fold")
    table.add_column("in", justify="right", no_wrap=True)
    table.add_column("out", justify="right", no_wrap=True)
    table.add_column("s", justify="right", no_wrap=True)
    table.add_column("retry", justify="right", no_wrap=True)
    table.add_column("error", no_wrap=True)  # ✗ here; the errors in full under the table
    for c in calls:
        table.add_row(
            str(c.seq),
            Text(c.stage),
            Text(shown_name(c.who)),
            Text(c.purpose),
            Text(c.model),
            f"{c.tokens_in:,}",
            f"{c.tokens_out:,}",
            f"{c.latency_s:.2f}",
            str(c.retries),
            Text("✗", style="red") if c.error else "",
        )
    # An error in a narrow column is folded to pieces at 80 columns: each is a line below.
    errors = [Text(f"call {c.seq}: {c.error}", style="red") for c in calls if c.error]
    tokens_in = sum(c.tokens_in for c in calls)
    tokens_out = sum(c.tokens_out for c in calls)
    retries = sum(c.retries for c in calls)
    failed = sum(1 for c in calls if c.error)
    mine = f"{len(calls)} calls ({failed} failed, {retries} retries) · {tokens_in:,} tokens in · {tokens_out:,} out"
    if usage is not None:
        mine += (
            f" · the debate's usage: {usage.calls} answered calls, "
            f"{usage.tokens_in:,} in, {usage.tokens_out:,} out, {usage.retries} retries"
        )
    total = Text(f"{mine}\n`arena calls {debate_id} N` shows call N in full.")
    return Group(table, *errors, total)


def call_lines(debate_id: str, call: StoredCall) -> list[str]:
    """One call in full, as plain lines for `literal.echo`."""
    cost = "unknown" if call.cost is None else f"${call.cost:.6f}"
    lines = [
        f"call {call.seq} of {'' if debate_id.startswith('audit:') else 'debate '}{debate_id}: "
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

"""`arena models`: what arena.toml configures, and which provider keys are present."""

from __future__ import annotations

import os

import click

from arena.commands.common import Context, emit_json, friendly, out_console, pass_ctx
from arena.literal import markup_literal as escape
from arena.llm.preflight import PROVIDER_KEYS, Target, missing_key, provider_of

NO_KEY = ("local", "sim", "ollama", "ollama_chat", "hosted_vllm")


def key_status(model: str, api_base: str | None = None) -> str:
    """What `arena models` says of a model's key, by the pre-flight check's own rule."""
    provider = provider_of(model)
    if provider in NO_KEY:
        return "no key needed"
    var = PROVIDER_KEYS.get(provider)
    if var and os.environ.get(var):
        return f"{var} set"
    if missing := missing_key(Target(model, api_base)):
        return f"{missing} missing"
    return "no key needed (server at api_base)" if api_base else "see litellm docs"


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
@friendly
def models(ctx: Context, as_json: bool) -> None:
    """Configured participants and judges (arena.toml) and whether their keys are set."""
    from rich.table import Table

    config = ctx.config
    rows = []
    builtin = [
        ("local/smollm2", "the embedded SmolLM2-135M, offline"),
        ("sim/NAME?skill=0.7&latency=0.2", "the simulator: instant, for dry runs"),
        ("team:a4d@MODEL", "an Agent4Debate team on any model"),
    ]
    for role, pool in (("participant", config.participants), ("judge", config.judges)):
        for name, s in pool.items():
            rows.append(
                {
                    "role": role,
                    "name": name,
                    "model": s.model,
                    "participant_id": s.participant_id,
                    "api_base": s.api_base,
                    "temperature": s.temperature,
                    "persona": s.persona,
                    "key": key_status(s.model, s.api_base),
                }
            )
    if as_json:
        emit_json(
            {
                "config": str(config.path) if config.path else None,
                "models": rows,
                "default_judges": config.default_judges,
            }
        )
        return
    console = out_console()
    console.print(escape(f"config: {config.path or 'none (create arena.toml to name participants and judges)'}"))
    if rows:
        from rich import box

        # the participant id under its model: side by side they do not fit 80 columns
        table = Table(box=box.SIMPLE_HEAD, show_edge=False)
        table.add_column("name")
        table.add_column("role")
        table.add_column("model · participant id", no_wrap=True)
        table.add_column("key", ratio=1)
        for r in rows:
            table.add_row(
                escape(str(r["name"])),
                str(r["role"]),
                f"{escape(str(r['model']))}\n[dim]{escape(str(r['participant_id']))}[/]",
                escape(str(r["key"])),
            )
        console.print(table)
    console.print("Built in, no key needed:")
    for model, note in builtin:
        console.print(f"  [cyan]{escape(model):<32}[/] {note}")
    console.print(
        "Any litellm model string works too (openai/gpt-4o-mini, ollama_chat/llama3.1, …): "
        "its key comes from the environment."
    )


commands = [models]

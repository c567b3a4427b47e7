"""Issue 12: per-server concurrency limits, empty answers retried, and literal text in the
TUI's building blocks."""

from __future__ import annotations

import asyncio

from arena.llm import limits
from arena.llm.gateway import Gateway
from arena.llm.types import LLMRequest, Message


async def test_a_server_limit_holds_across_concurrent_calls(monkeypatch):
    gateway = Gateway(backoff_base_s=0.0)
    in_flight = peak = 0
    inner = gateway._attempt_sim

    async def counting(req, on_token):  # type: ignore[no-untyped-def]
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        try:
            return await inner(req, on_token)
        finally:
            in_flight -= 1

    monkeypatch.setattr(gateway, "_attempt_sim", counting)
    limits.clear()
    try:
        limits.register("sim/a", "http://127.0.0.1:1/v1", 1)
        limits.register("sim/b", "http://127.0.0.1:1/v1/", 3)  # the same server: the smaller limit wins
        reqs = [
            LLMRequest(model=m, messages=[Message("user", "hi")], api_base="http://127.0.0.1:1/v1")
            for m in ("sim/a", "sim/b") * 4
        ]
        await asyncio.gather(*(gateway.complete(r) for r in reqs))
        assert peak == 1
        in_flight = peak = 0
        await asyncio.gather(
            *(gateway.complete(LLMRequest(model="sim/c", messages=[Message("user", "hi")])) for _ in range(4))
        )
        assert peak > 1  # no limit named for it
    finally:
        limits.clear()


async def test_an_empty_answer_is_retried_before_anything_fails(monkeypatch):
    from arena.llm.types import Completion, Usage

    gateway = Gateway(backoff_base_s=0.0)
    answers = iter(["", "   ", "a real answer"])

    async def flaky(litellm, req, kwargs, on_token):  # type: ignore[no-untyped-def]
        completion = Completion(next(answers), Usage(req.model))
        if not completion.text.strip():
            from arena.llm.types import EmptyAnswerError

            raise EmptyAnswerError("the model gave an empty answer", model=req.model)
        return completion

    async def fake_load():  # type: ignore[no-untyped-def]
        return object()

    from arena.llm import litellm_bridge

    monkeypatch.setattr(litellm_bridge, "load_async", fake_load)
    monkeypatch.setattr(gateway, "_timed_litellm", flaky)
    monkeypatch.setattr(gateway, "_litellm_kwargs", lambda req: {})
    out = await gateway.complete(LLMRequest(model="openai/x", messages=[Message("user", "hi")]))
    assert out.text == "a real answer" and out.usage.retries == 2


def test_tui_cells_and_replayed_records_drop_control_characters():
    from arena.debate.records import MotionRef
    from arena.literal import scrub
    from arena.tui.widgets.common import Cell

    assert "\x1b" not in str(Cell("name\x1b[2J"))
    assert (
        scrub(MotionRef("m", "This house \x1b[31mwould\x07", "policy")).text == "This house would"
    )  # the whole sequence goes, not only its ESC


def test_the_console_prints_bad_markup_and_escape_codes_literally():
    import io

    from arena.literal import safe_console

    buffer = io.StringIO()
    console = safe_console(file=buffer, force_terminal=False, width=80)
    console.print("[/x] and \x1b[2J and [bold red]T[/]")
    assert "\x1b" not in buffer.getvalue() and "[/x]" in buffer.getvalue()

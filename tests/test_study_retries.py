"""A study's unreadable answer is asked again once, with the reason, in the words of a
prompt file (arena/prompts/study_json_retry.txt, group_stance_retry.txt)."""

from __future__ import annotations

import asyncio
import json

from arena.config import Config
from arena.debate.participants import model_settings
from arena.llm.types import Completion, LLMRequest, Usage


class Scripted:
    def __init__(self, answers: list[str]) -> None:
        self.answers, self.requests = answers, []

    async def complete(self, req: LLMRequest, on_token=None) -> Completion:  # type: ignore[no-untyped-def]
        self.requests.append(req)
        return Completion(self.answers[len(self.requests) - 1], Usage(req.model, 10, 2))


def test_a_study_question_is_asked_again_with_the_reason() -> None:
    from arena.studies.asking import Calls, ask_json

    gateway = Scripted(["I think yes.", '{"stance": 5}'])
    settings = model_settings("openai/gpt-4o-mini", Config())
    answer = asyncio.run(
        ask_json(gateway, settings, "stance", "Your stance?", {"type": "object"}, json.loads, 1, Calls())
    )
    assert answer == {"stance": 5}
    retry = gateway.requests[1].messages[-1].content
    assert retry.startswith("That answer could not be read (Expecting value") and retry.endswith("JSON only.")


def test_a_posts_stance_is_asked_again_with_the_reason() -> None:
    from arena.studies.asking import Calls
    from arena.studies.group_run import rate_post

    gateway = Scripted(["Fairly positive.", "<stance>5</stance>"])
    rater = model_settings("openai/gpt-4o-mini", Config())
    stance = asyncio.run(rate_post(gateway, rater, "Cities should ban cars.", "Yes, ban them.", 1, Calls()))
    assert stance == 5
    retry = gateway.requests[1].messages[-1].content
    assert retry.startswith("That answer could not be read (") and retry.endswith("<stance>N</stance> only.")
    assert "$problem" not in retry

"""Running the QA study (arena study qa) on items imported with `arena import qa`: every
debater answers each item on its own (the `direct` protocol: plain accuracy), then for
each item and each ordered pair of debaters (a double round robin: both roles) one
defends the official answer and the other an alternative, once with the official answer
on the Proposition and once on the Opposition. Judges are not told which answer is
official: the motion names both answers, in an order that alternates.

The alternative (`--alternative`): `strongest-distractor`, the wrong option the debaters'
direct answers chose most often (the first wrong option when none did; an open question
falls back to `own`), or `own`, the one the alternative's defender chooses."""

from __future__ import annotations

import itertools
import json
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from arena.config import Config, ModelSettings
from arena.debate.model_names import model_settings
from arena.debate.options import DebateOptions
from arena.debate.prompts import render
from arena.debate.turns import ModelGateway
from arena.errors import UsageProblem
from arena.llm.types import LLMError, LLMRequest, Message
from arena.motions import Motion, MotionLibrary
from arena.play import DebateRequest, prepare
from arena.prompt_markers import ANSWER_TAG, QA_ANSWER
from arena.store.qa_store import load_items, qa_collections
from arena.store.qa_tables import QADebateRow, QADirectAnswer, QAItem
from arena.store.store import Store
from arena.studies.running import run_id, run_into
from arena.studies.study_calls import StudyCalls

COLLECTION = "study-qa"
ALTERNATIVES = ("strongest-distractor", "own")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass
class QAOptions:
    debaters: list[str]
    judges: list[str] = field(default_factory=list)
    items: int = 10
    seed: int = 1
    collection: str = "qa"  # the imported items'
    alternative: str = "strongest-distractor"
    format: str = "quick"


def options_block(item: QAItem) -> str:
    options = json.loads(item.options_json)
    return "\n".join(f"{LETTERS[i]}. {o}" for i, o in enumerate(options))


def how_to_answer(item: QAItem) -> str:
    if json.loads(item.options_json):
        return f"Give only the option's letter between <{ANSWER_TAG}> and </{ANSWER_TAG}>."
    return f"Give only the answer, in a few words, between <{ANSWER_TAG}> and </{ANSWER_TAG}>."


def read_answer(item: QAItem, text: str) -> str | None:
    """The answer's text (an option's, for a multiple-choice item), None when unreadable."""
    found = QA_ANSWER.search(text)
    said = (found.group(1) if found else text).strip().strip(".")
    options = json.loads(item.options_json)
    if not options:
        return " ".join(said.split())[:300] or None
    letter = said[:3].strip("() ").upper()
    if len(letter) == 1 and letter in LETTERS[: len(options)]:
        return str(options[LETTERS.index(letter)])
    return said if said in options else None


def normalise(answer: str) -> str:
    return " ".join(answer.lower().replace(".", " ").split())


def answer_grammar(item: QAItem) -> str:
    """llama.cpp grammar: the embedded model answers in the tags (a letter for a choice)."""
    options = json.loads(item.options_json)
    body = "[" + LETTERS[: len(options)] + "]" if options else "[^<\\n]{1,120}"
    return f'root ::= "<{ANSWER_TAG}>" {body} "</{ANSWER_TAG}>"'


async def ask_answer(
    gateway: ModelGateway, settings: ModelSettings, item: QAItem, purpose: str, prompt: str, seed: int
) -> str | None:
    req = LLMRequest(
        model=settings.model,
        messages=[Message("user", prompt)],
        purpose=purpose,  # type: ignore[arg-type]
        max_tokens=60,
        temperature=settings.temperature,
        grammar=answer_grammar(item),
        api_base=settings.api_base,
        seed=seed,
    )
    try:
        completion = await gateway.complete(req)
    except LLMError:
        return None
    return read_answer(item, completion.text)


async def direct_answer(gateway: ModelGateway, settings: ModelSettings, item: QAItem, seed: int) -> str | None:
    prompt = render("qa_direct", question=item.question, options=options_block(item), how=how_to_answer(item))
    return await ask_answer(gateway, settings, item, "qa_direct", prompt, seed)


async def own_alternative(gateway: ModelGateway, settings: ModelSettings, item: QAItem, seed: int) -> str:
    prompt = render(
        "qa_alternative",
        question=item.question,
        options=options_block(item),
        official=item.answer,
        how=how_to_answer(item),
    )
    answer = await ask_answer(gateway, settings, item, "qa_alternative", prompt, seed)
    if answer is None or normalise(answer) == normalise(item.answer):
        wrong = [o for o in json.loads(item.options_json) if o != item.answer]
        return wrong[0] if wrong else "none of the above"
    return answer


def strongest_distractor(item: QAItem, answers: list[str | None]) -> str | None:
    options = [o for o in json.loads(item.options_json) if o != item.answer]
    if not options:
        return None
    chosen = Counter(a for a in answers if a in options)
    return max(options, key=lambda o: (chosen[o], -options.index(o)))


def refuse_duplicates(names: list[str], settings: dict[str, ModelSettings]) -> None:
    """Each debater once: a debater named twice (or the same model, same settings, under two
    names: one participant id) would meet itself in the pairings and answer each item twice,
    counting its record double. One debater alone is how to have it debate itself."""
    seen: dict[str, str] = {}
    for name in names:
        pid = settings[name].participant_id
        if pid not in seen:
            seen[pid] = name
        else:
            first = seen[pid]
            same = f"{name!r} twice" if first == name else f"{first!r} and {name!r}, the same debater ({pid})"
            raise UsageProblem(f"--debaters names {same}: name each debater once (a single debater debates itself)")


def qa_motion(item: QAItem, first: str, second: str, index: int) -> Motion:
    text = f'This house believes that the correct answer to "{item.question}" is "{first}", not "{second}".'
    return Motion(
        id=f"{item.id}-{index}",
        text=" ".join(text.split()),
        category="fact",
        info_slide=f"A question from a QA set. {options_block(item)}".strip(),
        source=f"qa:{item.collection}",
    )


async def run_qa_study(
    options: QAOptions,
    config: Config,
    gateway: ModelGateway,
    store: Store,
    progress: Callable[[str], None] = lambda _: None,
) -> str:
    if not options.debaters:
        raise UsageProblem("a QA study needs --debaters (e.g. --debaters sim/a,sim/b)")
    if options.alternative not in ALTERNATIVES:
        raise UsageProblem(f"--alternative must be {' or '.join(ALTERNATIVES)}, got {options.alternative!r}")
    settings = {name: model_settings(name, config) for name in options.debaters}
    refuse_duplicates(options.debaters, settings)
    items = load_items(store, options.collection)
    if not items:
        known = qa_collections(store)
        where = f" (collections with items: {', '.join(known)})" if known else ""
        raise UsageProblem(
            f"no QA items in collection {options.collection!r}{where}: import some with `arena import qa FILE`"
        )
    if options.items > len(items):
        progress(f"--items {options.items}: collection {options.collection!r} holds {len(items)}; running those")
    random.Random(options.seed).shuffle(items)
    items = items[: options.items]
    run = run_id("qa")
    log = StudyCalls.of(run)  # the direct answers and alternatives asked, written with their rows
    pairs = list(itertools.permutations(options.debaters, 2)) or [(options.debaters[0], options.debaters[0])]
    for n, item in enumerate(items):
        seed = options.seed * 10_000 + n * 100
        answers: dict[str, str | None] = {}
        direct_rows = []
        for d, name in enumerate(options.debaters):
            with log.asking("direct answer", settings[name].participant_id):
                answer = await direct_answer(gateway, settings[name], item, seed + d)
            answers[name] = answer
            correct = None if answer is None else normalise(answer) == normalise(item.answer)
            direct_rows.append(
                QADirectAnswer(
                    run=run,
                    item_id=item.id,
                    debater=settings[name].participant_id,
                    answer=answer,
                    correct=correct,
                    created_at=time.time(),
                )
            )
        log.add_rows(store, direct_rows)
        distractor = strongest_distractor(item, list(answers.values()))
        debate_rows = []
        for p, (truth_name, alt_name) in enumerate(pairs):
            alternative = distractor
            if options.alternative == "own" or alternative is None:
                with log.asking("own alternative", settings[alt_name].participant_id):
                    alternative = await own_alternative(gateway, settings[alt_name], item, seed + 50 + p)
            for k, truth_side in enumerate(("pro", "con")):
                first, second = (item.answer, alternative) if truth_side == "pro" else (alternative, item.answer)
                motion = qa_motion(item, first, second, 2 * p + k)
                pro, con = (truth_name, alt_name) if truth_side == "pro" else (alt_name, truth_name)
                debate = DebateOptions(format=options.format, judges=tuple(options.judges), seed=seed + 2 * p + k)
                setup = prepare(
                    DebateRequest(pro=pro, con=con, motion=motion.id, options=debate),
                    config,
                    gateway,
                    library=MotionLibrary([motion]),
                )
                record = await run_into(setup, store, gateway, COLLECTION)

                def role(side: str | None, truth_side: str = truth_side) -> str | None:
                    if side not in ("pro", "con"):
                        return None
                    return "truth" if side == truth_side else "alternative"

                winner = role(record.verdict.winner if record.verdict else None)
                ballots = [[b.judge, role(b.winner)] for b in record.ballots if not b.swapped]
                debate_rows.append(
                    QADebateRow(
                        run=run,
                        debate_id=record.id,
                        item_id=item.id,
                        truth_debater=settings[truth_name].participant_id,
                        alternative_debater=settings[alt_name].participant_id,
                        truth_side=truth_side,
                        alternative=alternative,
                        winner=winner,
                        ballots_json=json.dumps(ballots),
                        created_at=time.time(),
                    )
                )
        log.add_rows(store, debate_rows)
        progress(
            f"item {n + 1}/{len(items)}: direct "
            + ", ".join(
                f"{k} {'right' if v and normalise(v) == normalise(item.answer) else 'wrong'}"
                for k, v in answers.items()
            )
            + "; debates won by "
            + ", ".join(r.winner or "nobody" for r in debate_rows)
        )
    progress(f"the questions asked outside the debates, {log.written} model calls: arena calls {log.run}")
    return run

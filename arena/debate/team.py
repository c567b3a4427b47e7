"""Agent4Debate teams: a Searcher, an Analyzer, a Writer and a Reviewer debating as one.

A team is a debater like any other (`speak`, `bet`, `models`); `build_team` makes one
from a participant name (grammar and TOML definitions: `arena.debate.team_spec`).

Flow of one speech, after the Agent4Debate paper:

    constructive   Searcher -> Analyzer -> Writer <-> Reviewer
    rebuttal       Analyzer -> Writer <-> Reviewer
    summary        Analyzer -> Writer <-> Reviewer

- Searcher: turns the task (or the Writer's request) into up to three queries, runs
  them on the team's search provider and hands back the findings grouped by query,
  each labelled E1, E2, ... with its title and source. The labels hold for the whole
  debate, so a rebuttal can cite what the constructive found.
- Analyzer: plans the speech for its stage (constructive: definitions, a judging
  standard, up to three arguments with the evidence each needs; rebuttal: the
  opponent's case, the clashes, the angles of attack; summary: the clashes ranked by
  importance and the values at stake).
- Writer: drafts the speech from the plan and the findings within the word limit,
  citing findings as [E1]; or answers `SEARCH: <what it needs>` to send the Searcher
  out again (while searches remain).
- Reviewer: answers ACCEPT or REVISE plus concrete revisions; the Writer then
  rewrites. In rebuttal and summary the first review always asks for a revision (the
  prompt says so, and a first ACCEPT there is turned into a request to sharpen the
  clash, so the rule holds even for models that ignore it).

Bounds per speech: at most `max_revisions` Reviewer -> Writer rounds (default 2) and
`max_searches` Searcher runs (default 2, the constructive's opening search included).
When revisions run out the Writer's last draft is not reviewed again; the speech is
the best draft so far: among drafts of at least 40% of the word limit, an accepted one,
else the latest. A Reviewer that
never accepts therefore still yields a speech. A failing Searcher, Analyzer or
Reviewer call is recorded in the trace and skipped; a failing Writer call ends the
loop with the best draft so far (and fails the speech only if there is none).

References: citations of labels the team never retrieved are removed from the
speech. The team then appends `References:` built by the code, one line per finding
(`[E1] Title. Source. (id: ...)`), choosing by the first rule that yields any:
(1) the findings the Writer cited; (2) the findings the Analyzer's plan used (small
models often cite nothing in the speech but do in the plan); (3) the findings given
to the Writer that share the most content words with the speech (at most two, each
sharing at least one); a speech that shares no word with any finding lists none.
The word limit applies to the speech above the references; the list is not counted.

Every role call is one `LLMRequest(purpose="agent.<role>")` on that role's model and
one `AgentStep` in the speech's trace (role, stage kind, input summary, output,
model, tokens, cost, latency). The team's private bet after each speech is asked of
its Writer's model with the same protocol as a single model's.

Evidence comes from the motion's snippets plus, optionally, a folder of documents
(`evidence_dir` in a team definition, else the `ARENA_EVIDENCE_DIR` environment
variable, which does not change the team's id) and a web search provider named in
the definition (`web_search`); see `arena.search`.
"""

from __future__ import annotations

import os
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from arena.config import Config, ModelSettings
from arena.debate import transcript
from arena.debate.bets import ask_bet, condition_note
from arena.debate.model_debater import SIDE_DUTY, speech_token_budget
from arena.debate.prompts import render
from arena.debate.records import SIDE_LABEL, AgentStep, Speech
from arena.debate.team_spec import TeamSpec, parse_team
from arena.debate.team_text import (
    Ledger,
    Review,
    cited_labels,
    clean_draft,
    drop_unknown_citations,
    overlap_labels,
    parse_queries,
    parse_review,
    references_block,
    search_request,
    shorten,
    trim_to_words,
)
from arena.debate.turns import BetOutput, BetTurn, ModelGateway, SpeechOutput, SpeechTurn
from arena.errors import UsageProblem
from arena.llm.types import LLMError, LLMRequest, Message, Purpose
from arena.search import CombinedSearch, EvidenceIndex, SearchProvider, build_index, load_provider

__all__ = ["TeamDebater", "build_team"]

# Token budgets per role: (any model, the small embedded models). The embedded model
# runs at about 100 tokens/s on 2 cores, so its roles are kept short.
# The gateway's purpose tag of each role's calls (usage is reported per purpose).
AGENT_PURPOSE: dict[str, Purpose] = {
    "searcher": "agent.searcher",
    "analyzer": "agent.analyzer",
    "writer": "agent.writer",
    "reviewer": "agent.reviewer",
}
BUDGET = {"searcher": (120, 32), "analyzer": (450, 80), "reviewer": (220, 40)}
FINDINGS_PER_QUERY = (3, 2)
FINDINGS_FOR_WRITER = (8, 3)
# The embedded model's context is small: it sees the last speeches, shortened.
COMPACT_SPEECHES, COMPACT_SPEECH_WORDS, COMPACT_FINDING_WORDS, COMPACT_SLIDE_WORDS = 2, 80, 30, 40
# Answer shapes the local model is held to (other providers ignore grammars).
SEARCHER_GRAMMAR = r"""
root ::= query ("\n" query)?
query ::= [A-Za-z0-9] [A-Za-z0-9 ,'-]+
""".strip()
REVIEWER_GRAMMAR = r"""
root ::= "ACCEPT" | "REVISE\n- " note
note ::= [A-Za-z0-9] [^\n]+
""".strip()
FORCED_NOTE = {
    "rebuttal": "Take on the opponent's strongest argument first and directly, and show exactly why it fails.",
    "summary": "Rank the clashes explicitly and weigh them: say which one decides the debate and why we win it.",
}
WRITE_NOW = "Searching is not possible any more: write the speech itself now, from the findings you have."
MEMORY_DEBATES = 8


def build_team(name: str, config: Config, gateway: ModelGateway, role_models: dict[str, str]) -> TeamDebater:
    return TeamDebater(parse_team(name, config, role_models), gateway)


def is_compact(model: str) -> bool:
    return model.startswith("local/")


@dataclass
class DebateMemory:
    """What a team keeps between its speeches in one debate."""

    ledger: Ledger = field(default_factory=Ledger)
    provider: SearchProvider | None = None


class TeamDebater:
    def __init__(
        self, spec: TeamSpec, gateway: ModelGateway, search: Callable[[SpeechTurn], SearchProvider] | None = None
    ) -> None:
        self.spec = spec
        self.settings = spec  # the store keeps spec.as_dict() as the participant's settings
        self.gateway = gateway
        self.participant_id = spec.participant_id
        self._make_search = search or self._default_search
        # Problems with the team's search set-up are the user's to fix before the debate starts.
        self._docs = spec.evidence_dir or os.environ.get("ARENA_EVIDENCE_DIR") or None
        if self._docs and not os.path.isdir(os.path.expanduser(self._docs)):
            raise UsageProblem(f"ARENA_EVIDENCE_DIR={self._docs!r} is not a folder of documents")
        self._web = load_provider(spec.web_search) if spec.web_search and spec.plays("searcher") else None
        self._memories: OrderedDict[tuple[str, int, str], DebateMemory] = OrderedDict()

    @property
    def models(self) -> set[str]:
        return {s.model for s in self.spec.roles.values()}

    async def speak(self, turn: SpeechTurn, on_token: Callable[[str], None]) -> SpeechOutput:
        out = await SpeechRun(self, turn, self._memory(turn)).run()
        on_token(out.text)  # a team streams nothing while it deliberates: the speech arrives whole
        return out

    async def bet(self, turn: BetTurn) -> BetOutput:
        return await ask_bet(self.gateway, self.spec.roles["writer"], turn)

    def _memory(self, turn: SpeechTurn) -> DebateMemory:
        key = (turn.motion.id, turn.seed // 1000, turn.stage.side)
        if key not in self._memories:
            self._memories[key] = DebateMemory()
            while len(self._memories) > MEMORY_DEBATES:
                self._memories.popitem(last=False)
        memory = self._memories[key]
        if memory.provider is None and self.spec.plays("searcher"):
            memory.provider = self._make_search(turn)
        return memory

    def _default_search(self, turn: SpeechTurn) -> SearchProvider:
        index = build_index(turn.evidence, self._docs)
        return CombinedSearch([index, self._web]) if self._web is not None else index


@dataclass
class Draft:
    text: str
    revision: int
    accepted: bool = False


class SpeechRun:
    """One speech's deliberation: the role calls, their trace and the bounds."""

    def __init__(self, team: TeamDebater, turn: SpeechTurn, memory: DebateMemory) -> None:
        self.team, self.spec, self.turn, self.memory = team, team.spec, turn, memory
        self.stage = turn.stage
        self.ledger = memory.ledger
        self.steps: list[AgentStep] = []
        self.retries = 0  # the gateway's retries over this speech's calls, failed ones included
        self.searches = 0
        self.new_labels: list[str] = []  # retrieved during this speech
        self.plan = ""

    # ------------------------------------------------------------------ the flow

    async def run(self) -> SpeechOutput:
        started = time.perf_counter()
        if self.stage.kind == "constructive" and self.spec.plays("searcher") and self.spec.max_searches > 0:
            await self.search(None)
        if self.spec.plays("analyzer"):
            await self.analyze()
        body = await self.write_and_review()
        text = self.with_references(body)
        writer = self.spec.roles["writer"].model
        costs = [s.cost for s in self.steps if s.cost is not None]
        return SpeechOutput(
            text=text,
            model=writer,
            tokens_in=sum(s.tokens_in for s in self.steps),
            tokens_out=sum(s.tokens_out for s in self.steps),
            cost=sum(costs) if costs else None,
            latency_s=time.perf_counter() - started,
            trace=self.steps,
            retries=self.retries,
        )

    async def write_and_review(self) -> str:
        drafts: list[Draft] = []
        notes, note_reason = "", ""
        revisions = 0
        # Every Writer call either drafts, revises or searches, each bounded; one extra
        # call is allowed for a Writer that asked to search when it no longer could.
        for _ in range(self.spec.max_revisions + self.spec.max_searches + 2):
            can_search = self.searchable() and self.searches < self.spec.max_searches
            previous = drafts[-1].text if drafts and notes and notes != WRITE_NOW else ""
            answer = await self.write(notes, note_reason, previous, can_search)
            if answer is None:  # the Writer's model failed: deliver what we have
                break
            request = search_request(answer)
            if request and can_search:
                await self.search(request)
                notes, note_reason = (notes, note_reason) if drafts else ("", "")
                continue
            body = self.finish(answer)
            if not body:
                notes, note_reason = WRITE_NOW, "the Writer gave no speech"
                continue
            drafts.append(Draft(body, revisions))
            if not self.spec.plays("reviewer") or revisions >= self.spec.max_revisions:
                break
            review = await self.review(body, revisions + 1)
            if review is None:  # the Reviewer's model failed: the draft stands
                break
            forced = review.accept and revisions == 0 and self.stage.kind in FORCED_NOTE
            if review.accept and not forced:
                drafts[-1].accepted = True
                break
            revisions += 1
            if forced:
                notes = review.notes or FORCED_NOTE[self.stage.kind]
                note_reason = f"revision {revisions} (a {self.stage.kind} always gets one)"
            else:
                notes = review.notes or "Make the speech more convincing: stronger reasons and evidence, clearer clash."
                note_reason = f"revision {revisions}"
        if not drafts:
            return ""
        # A draft far below the word limit is a failure whatever the Reviewer said (small
        # models accept anything); among usable drafts an accepted one wins, then the latest.
        usable = max(8, round(0.4 * self.stage.word_limit))
        best = max(drafts, key=lambda d: (len(d.text.split()) >= usable, d.accepted, d.revision))
        return best.text

    def finish(self, answer: str) -> str:
        """A draft as it would be delivered: clean, honest citations, within the limit."""
        body, _ = drop_unknown_citations(clean_draft(answer), set(self.ledger.by_label))
        return trim_to_words(body, self.stage.word_limit)

    def with_references(self, body: str) -> str:
        if not body or not self.ledger.by_label:
            return body
        known = set(self.ledger.by_label)
        labels = [label for label in cited_labels(body) if label in known]
        if not labels:
            labels = [label for label in plan_labels(self.plan) if label in known]
        if not labels:
            labels = overlap_labels(body, self.writer_labels(), self.ledger)
        block = references_block(labels, self.ledger)
        return f"{body}\n\n{block}" if block else body

    def searchable(self) -> bool:
        """Whether sending the Searcher out can find anything (an empty index cannot)."""
        provider = self.memory.provider
        if not self.spec.plays("searcher") or provider is None:
            return False
        return not isinstance(provider, EvidenceIndex) or len(provider) > 0

    # ------------------------------------------------------------------ roles

    async def search(self, request: str | None) -> None:
        self.searches += 1
        role = "searcher"
        settings = self.spec.roles[role]
        compact = is_compact(settings.model)
        if request:
            task, summary = f"Our Writer needs evidence: {request}", f"Writer asked: {request}"
        else:
            task = (
                f"Find evidence for our {self.stage.label}: facts, cases and studies that support "
                f"the {SIDE_LABEL[self.stage.side]} on this motion."
            )
            summary = f"task: evidence for the {self.stage.label}"
        known = self.ledger.block(max_words=12) if self.ledger.by_label else ""
        messages = [
            Message("system", render(f"team/{role}", **self.side_values())),
            Message(
                "user",
                render(
                    f"team/{role}_task",
                    **self.side_values(),
                    request=task,
                    known_block=f"Already found:\n{known}" if known else "",
                ),
            ),
        ]
        step = await self.call(role, messages, summary, grammar=SEARCHER_GRAMMAR)
        if step is None:
            return
        provider = self.memory.provider
        queries = parse_queries(step.output, fallback=request or self.turn.motion.text)
        if request and request not in queries:
            queries.append(request)  # the Writer's own words are a query too
        per_query = FINDINGS_PER_QUERY[compact]
        groups: list[tuple[str, list[str]]] = []
        for query in queries:
            found = await provider.search(query, per_query) if provider is not None else []
            groups.append((query, self.ledger.add(found)))
        # Weak queries (small models write them) still leave the Writer something to use.
        if len({label for _, labels in groups for label in labels}) < per_query and provider is not None:
            fallback = f"{self.turn.motion.text} {request or ''}".strip()
            groups.append((fallback, self.ledger.add(await provider.search(fallback, per_query))))
        for _, labels in groups:
            self.new_labels += [label for label in labels if label not in self.new_labels]
        step.output = self.grouped_findings(groups)

    async def analyze(self) -> None:
        role = "analyzer"
        compact = is_compact(self.spec.roles[role].model)
        kind = self.stage.kind if self.stage.kind in ("constructive", "rebuttal", "summary") else "rebuttal"
        findings = self.findings_block(compact)
        messages = [
            Message(
                "system",
                render(
                    f"team/{role}",
                    **self.side_values(),
                    stage_workflow=render(f"team/analyzer_{kind}"),
                    stage_output=render(f"team/analyzer_{kind}_output"),
                ),
            ),
            Message(
                "user",
                render(
                    f"team/{role}_task",
                    **self.side_values(compact),
                    **self.stage_values(),
                    transcript_block=self.transcript_block(compact),
                    findings_block=findings,
                ),
            ),
        ]
        n = len(self.writer_labels())
        step = await self.call(
            role, messages, f"plan the {kind} from {n} findings and {len(self.turn.visible)} earlier speeches"
        )
        self.plan = step.output.strip() if step is not None else ""

    async def write(self, notes: str, reason: str, previous: str, can_search: bool) -> str | None:
        role = "writer"
        settings = self.spec.roles[role]
        compact = is_compact(settings.model)
        revision = (
            render("team/writer_revision", draft=previous, notes=notes)
            if previous
            else (f"\nNote: {notes}\n" if notes else "")
        )
        system = render(
            f"team/{role}",
            **self.side_values(),
            persona=f"Your style: {settings.persona}" if settings.persona else "",
            kind_instructions=render(f"kind_{self.stage.kind}")
            if self.stage.kind in ("constructive", "rebuttal", "summary")
            else "",
            word_limit=self.stage.word_limit,
            search_rule=render("team/writer_search_rule") if can_search else "",
            output_format=render("team/writer_output_search" if can_search else "team/writer_output"),
        )
        user = render(
            f"team/{role}_task",
            **self.side_values(compact),
            **self.stage_values(),
            round=self.stage.round,
            transcript_block=self.transcript_block(compact),
            bets_block=transcript.public_bets(self.turn.visible_bets),
            condition_note=condition_note(self.turn.condition),
            plan_block=self.plan or "(no plan: plan the speech yourself)",
            findings_block=self.findings_block(compact),
            revision_block=revision,
        )
        n_drafts = sum(1 for s in self.steps if s.role == role)
        summary = reason or ("first draft" if n_drafts == 0 else f"draft after {self.searches} searches")
        summary += f"; plan {'yes' if self.plan else 'no'}, {len(self.writer_labels())} findings"
        # Room for [E1] citations, except on the small models, where every token costs time.
        budget = speech_token_budget(self.stage.word_limit, None) + (0 if compact else 24)
        budget = min(budget, settings.max_tokens) if settings.max_tokens else budget
        step = await self.call(
            role,
            [Message("system", system), Message("user", user)],
            summary,
            max_tokens=budget,
            word_limit=self.stage.word_limit,
        )
        return step.output if step is not None else None

    async def review(self, draft: str, review_no: int) -> Review | None:
        role = "reviewer"
        compact = is_compact(self.spec.roles[role].model)
        kind = self.stage.kind
        labels = ", ".join(self.writer_labels()) or "none"
        opponents = [s for s in self.turn.visible if s.side != self.stage.side]
        if compact:
            opponents = opponents[-1:]
        opponent_block = "\n\n".join(shorten(s.text, 60) if compact else s.text for s in opponents) or "(not seen yet)"
        messages = [
            Message(
                "system",
                render(
                    f"team/{role}",
                    **self.side_values(),
                    word_limit=self.stage.word_limit,
                    labels=labels,
                    stage_rule=render("team/reviewer_stage_rule", stage_kind=kind) if kind in FORCED_NOTE else "",
                ),
            ),
            Message(
                "user",
                render(
                    f"team/{role}_task",
                    **self.side_values(),
                    **self.stage_values(),
                    opponent_block=opponent_block,
                    plan_block=shorten(self.plan, 50 if compact else 400) or "(no plan)",
                    labels=labels,
                    draft=draft,
                    review_no=review_no,
                ),
            ),
        ]
        step = await self.call(
            role, messages, f"review {review_no} of a {len(draft.split())}-word draft", grammar=REVIEWER_GRAMMAR
        )
        return parse_review(step.output) if step is not None else None

    # ------------------------------------------------------------------ calls and knowledge

    async def call(
        self,
        role: str,
        messages: list[Message],
        summary: str,
        *,
        max_tokens: int | None = None,
        grammar: str | None = None,
        word_limit: int | None = None,
    ) -> AgentStep | None:
        settings: ModelSettings = self.spec.roles[role]
        if max_tokens is None:
            full, small = BUDGET[role]
            max_tokens = small if is_compact(settings.model) else full
            if settings.max_tokens:
                max_tokens = min(max_tokens, settings.max_tokens)
        req = LLMRequest(
            model=settings.model,
            messages=messages,
            purpose=AGENT_PURPOSE[role],
            max_tokens=max_tokens,
            temperature=settings.temperature,
            api_base=settings.api_base,
            seed=self.turn.seed,
            grammar=grammar,
            word_limit=word_limit,
        )
        started = time.perf_counter()
        try:
            completion = await self.team.gateway.complete(req)
        except LLMError as exc:
            self.retries += exc.retries
            self.steps.append(
                AgentStep(
                    role,
                    self.stage.kind,
                    summary,
                    f"(failed: {exc.kind}: {exc})",
                    settings.model,
                    latency_s=time.perf_counter() - started,
                )
            )
            if role == "writer" and not any(
                s.role == "writer" and not s.output.startswith("(failed") for s in self.steps
            ):
                raise  # no draft at all: the speech cannot be given
            return None
        usage = completion.usage
        self.retries += usage.retries
        step = AgentStep(
            role,
            self.stage.kind,
            summary,
            completion.text.strip(),
            settings.model,
            usage.tokens_in,
            usage.tokens_out,
            usage.cost,
            usage.latency_s,
        )
        self.steps.append(step)
        return step

    def side_values(self, compact: bool = False) -> dict[str, str]:
        side = self.stage.side
        slide = self.turn.motion.info_slide or "(none)"
        return {
            "side_label": SIDE_LABEL[side],
            "side_duty": SIDE_DUTY[side],
            "motion": self.turn.motion.text,
            "info_slide": shorten(slide, COMPACT_SLIDE_WORDS) if compact else slide,
        }

    def stage_values(self) -> dict[str, object]:
        return {
            "format_name": self.turn.format.name,
            "stage_label": self.stage.label,
            "stage_kind": self.stage.kind,
            "word_limit": self.stage.word_limit,
        }

    def writer_labels(self) -> list[str]:
        """The findings the Writer (and Analyzer) are shown: this speech's first, then older."""
        compact = is_compact(self.spec.roles["writer"].model)
        older = [label for label in self.ledger.by_label if label not in self.new_labels]
        return [*self.new_labels, *older][: FINDINGS_FOR_WRITER[compact]]

    def findings_block(self, compact: bool) -> str:
        labels = self.writer_labels()
        if not labels:
            return "(none: argue from reasoning and common knowledge, and cite nothing)"
        return self.ledger.block(labels, COMPACT_FINDING_WORDS if compact else None)

    def transcript_block(self, compact: bool) -> str:
        speeches = self.turn.visible[-COMPACT_SPEECHES:] if compact else self.turn.visible
        if not speeches:
            return transcript.for_debater([])
        shown = [
            Speech(s.index, s.side, s.stage, s.kind, s.round, self.speech_text(s, compact), s.words) for s in speeches
        ]
        return transcript.for_debater(shown)

    @staticmethod
    def speech_text(speech: Speech, compact: bool) -> str:
        return shorten(speech.text, COMPACT_SPEECH_WORDS) if compact else speech.text

    def grouped_findings(self, groups: list[tuple[str, list[str]]]) -> str:
        lines = []
        for query, labels in groups:
            lines.append(f"Query: {query}")
            if not labels:
                lines.append("  (nothing found)")
            for label in labels:
                f = self.ledger.by_label[label]
                lines.append(f"  [{label}] {f.title} ({f.source}) [{f.id}, score {f.score:g}]")
        return "\n".join(lines)


_BARE_LABEL = re.compile(r"\bE(\d+)\b")


def plan_labels(plan: str) -> list[str]:
    """Labels a plan uses, bracketed or bare ("Evidence: E2")."""
    labels = cited_labels(plan)
    for match in _BARE_LABEL.finditer(plan):
        label = f"E{match.group(1)}"
        if label not in labels:
            labels.append(label)
    return labels

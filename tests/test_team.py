"""Agent4Debate teams on the simulator: flow per stage, bounds, references, ablations,
per-role models, bets, traces in the store; and one short debate on the embedded model."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from arena.config import Config, ModelSettings
from arena.debate.engine import DebateSetup, run_debate
from arena.debate.formats import load_format
from arena.debate.judging import JudgeSpec
from arena.debate.model_debater import ModelDebater
from arena.debate.options import DebateOptions
from arena.debate.participants import build_debater
from arena.debate.records import MotionRef
from arena.debate.team import TeamDebater, build_team
from arena.debate.team_spec import parse_team
from arena.debate.team_text import cited_labels, clean_draft, parse_queries, parse_review, trim_to_words
from arena.errors import UsageProblem
from arena.llm.gateway import Gateway
from arena.llm.types import Completion, LLMRequest, TokenCallback, Usage
from arena.motions import load_motions

MOTION = MotionRef(
    "ban-private-cars-city-centres",
    "This house would ban private cars from city centres.",
    "policy",
    "Cities may choose exemptions.",
)
EVIDENCE = list(load_motions().get("ban-private-cars-city-centres").evidence)
EVIDENCE_IDS = {e.id for e in EVIDENCE}


@dataclass
class ScriptedGateway:
    """Answers chosen agent purposes with scripts; everything else goes to the simulator."""

    scripts: dict[str, Callable[[LLMRequest, int], str]] = field(default_factory=dict)
    inner: Gateway = field(default_factory=lambda: Gateway(backoff_base_s=0.0))
    requests: list[LLMRequest] = field(default_factory=list)

    async def complete(self, req: LLMRequest, on_token: TokenCallback | None = None) -> Completion:
        self.requests.append(req)
        script = self.scripts.get(req.purpose)
        if script is None:
            return await self.inner.complete(req, on_token)
        n = sum(1 for r in self.requests if r.purpose == req.purpose)
        return Completion(script(req, n), Usage(req.model, 10, 5, cost=0.0, latency_s=0.001))

    def purposes(self) -> list[str]:
        return [r.purpose for r in self.requests if r.purpose.startswith("agent.")]


def prompt_of(req: LLMRequest) -> str:
    return "\n".join(m.content for m in req.messages)


def team_setup(gateway, pro: str = "team:a4d@sim/x", fmt: str = "a4d", role_models=None, seed: int = 11):
    return DebateSetup(
        motion=MOTION,
        format=load_format(fmt),
        pro=build_debater(pro, Config(), gateway, role_models=role_models),
        con=ModelDebater(ModelSettings("sim/y"), gateway),
        judges=[JudgeSpec(ModelSettings("sim/judge"))],
        options=DebateOptions(seed=seed),
        evidence=EVIDENCE,
    )


def roles_of(speech) -> list[str]:
    return [step.role for step in speech.trace]


FLOW = {
    # one letter per role: the trace of a speech must read as these patterns
    "constructive": re.compile(r"^SA(WS?)*W(RW)*R?$"),
    "rebuttal": re.compile(r"^A(WS?)*W(RW)*R?$"),
    "summary": re.compile(r"^A(WS?)*W(RW)*R?$"),
}


def flow_string(speech) -> str:
    return "".join(step.role[0].upper() for step in speech.trace)


# --------------------------------------------------------------------------- flow


async def test_full_team_follows_the_flow_in_every_stage(recording_gateway):
    record = await run_debate(team_setup(recording_gateway), recording_gateway)
    assert record.status == "finished"
    team_speeches = [s for s in record.speeches if s.side == "pro"]
    assert [s.kind for s in team_speeches] == ["constructive", "rebuttal", "summary"]
    for speech in team_speeches:
        assert FLOW[speech.kind].match(flow_string(speech)), (speech.kind, flow_string(speech))
        assert all(step.stage == speech.kind for step in speech.trace)
        assert speech.text.strip()
    # rebuttal and summary always get at least one revision
    for speech in team_speeches[1:]:
        assert roles_of(speech).count("writer") >= 2 and "reviewer" in roles_of(speech)
    # the opposition is a single model: no trace
    assert all(not s.trace for s in record.speeches if s.side == "con")


async def test_every_role_call_is_a_traced_step_with_usage(recording_gateway):
    record = await run_debate(team_setup(recording_gateway), recording_gateway)
    agent_requests = [r for r in recording_gateway.requests if r.purpose.startswith("agent.")]
    steps = [step for s in record.speeches for step in s.trace]
    assert [f"agent.{s.role}" for s in steps] == [r.purpose for r in agent_requests]
    for step in steps:
        assert step.model == "sim/x" and step.input_summary and step.output
        assert step.tokens_in > 0 and step.tokens_out > 0 and step.cost == 0.0 and step.latency_s >= 0
    speech = record.speeches[0]
    assert speech.tokens_out == sum(s.tokens_out for s in speech.trace)


async def test_team_bets_after_each_of_its_speeches(recording_gateway):
    record = await run_debate(team_setup(recording_gateway), recording_gateway)
    team_bets = [b for b in record.bets if b.side == "pro"]
    assert len(team_bets) == 3 and all(b.amount is not None for b in team_bets)
    assert [b.after_speech for b in team_bets] == [s.index for s in record.speeches if s.side == "pro"]


# --------------------------------------------------------------------------- bounds


async def test_a_reviewer_that_never_accepts_still_yields_a_speech():
    gateway = ScriptedGateway({"agent.reviewer": lambda req, n: "REVISE\n- add more evidence"})
    record = await run_debate(team_setup(gateway, fmt="quick"), gateway)
    assert record.status == "finished"
    for speech in (s for s in record.speeches if s.side == "pro"):
        roles = roles_of(speech)
        assert roles.count("reviewer") == 2  # max_revisions
        assert roles.count("writer") == 3  # the first draft and two revisions, the last not reviewed
        assert roles[-1] == "writer" and speech.text.strip()


async def test_searches_stop_at_their_bound():
    def writer(req: LLMRequest, n: int) -> str:
        if "SEARCH:" in prompt_of(req):  # asks for more as long as it is offered
            return f"SEARCH: evidence about parking number {n}"
        return "Cars choke our centres [E1]. Oslo showed another way."

    gateway = ScriptedGateway({"agent.writer": writer, "agent.reviewer": lambda req, n: "ACCEPT"})
    record = await run_debate(team_setup(gateway), gateway)
    for speech in (s for s in record.speeches if s.side == "pro"):
        roles = roles_of(speech)
        assert roles.count("searcher") == 2, roles  # max_searches, the constructive's first search included
        assert roles[-2:] == ["writer", "reviewer"] and "SEARCH" not in speech.text
    requests = [s.input_summary for s in record.speeches[0].trace if s.role == "searcher"]
    assert requests[0].startswith("task:") and requests[1].startswith("Writer asked: evidence about parking")


async def test_bounds_come_from_a_team_definition(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "teams").mkdir()
    (tmp_path / "teams" / "terse.toml").write_text(
        'model = "sim/x"\nmax_revisions = 1\nmax_searches = 1\n', encoding="utf-8"
    )
    gateway = ScriptedGateway({"agent.reviewer": lambda req, n: "REVISE\n- more"})
    record = await run_debate(team_setup(gateway, pro="team:terse"), gateway)
    assert record.pro.startswith("team:a4d@sim/x~terse-")
    for speech in (s for s in record.speeches if s.side == "pro"):
        assert roles_of(speech).count("reviewer") == 1 and roles_of(speech).count("writer") == 2
        assert roles_of(speech).count("searcher") <= 1


# --------------------------------------------------------------------------- references


async def test_references_come_only_from_retrieved_findings():
    def writer(req: LLMRequest, n: int) -> str:
        return (
            "Oslo removed parking and life returned [E1]. Invented studies agree [E9]. "
            "Shops gained too [E2, E7].\n\nReferences:\n[E9] A made-up report, 2031."
        )

    gateway = ScriptedGateway({"agent.writer": writer})
    record = await run_debate(team_setup(gateway), gateway)
    for speech in (s for s in record.speeches if s.side == "pro"):
        body, _, refs = speech.text.partition("\n\nReferences:\n")
        assert "E9" not in speech.text and "E7" not in speech.text and "made-up" not in speech.text
        assert cited_labels(body) == ["E1", "E2"]
        ids = re.findall(r"\(id: ([^)]+)\)$", refs, flags=re.M)
        assert len(ids) == 2 and set(ids) <= EVIDENCE_IDS
        # each reference is the finding the Searcher handed back under that label
        searched = record.speeches[0].trace[0].output
        for label, ref_id in zip(["E1", "E2"], ids):
            assert re.search(rf"\[{label}\] .*\[{re.escape(ref_id)}, score", searched)


async def test_uncited_speech_falls_back_to_the_plan_findings():
    gateway = ScriptedGateway(
        {
            "agent.writer": lambda req, n: "Cars must go from city centres: parking became parks in Oslo.",
            "agent.analyzer": lambda req, n: "1. Argument: streets for people. Evidence: E2",
            "agent.reviewer": lambda req, n: "ACCEPT",
        }
    )
    record = await run_debate(team_setup(gateway, fmt="quick"), gateway)
    first = record.speeches[0]
    assert first.text.endswith(")") and "References:\n[E2] " in first.text


async def test_speech_body_keeps_the_word_limit(recording_gateway):
    record = await run_debate(team_setup(recording_gateway, fmt="quick"), recording_gateway)
    limits = {s.index: s.word_limit for s in load_format("quick").stages}
    for speech in (s for s in record.speeches if s.side == "pro"):
        body = speech.text.split("\n\nReferences:\n")[0]
        assert len(body.split()) <= limits[speech.index]


# --------------------------------------------------------------------------- ablations and models


@pytest.mark.parametrize("removed", [("searcher",), ("analyzer",), ("reviewer",), ("searcher", "analyzer", "reviewer")])
async def test_an_ablated_team_never_calls_the_removed_role(recording_gateway, removed):
    name = "team:a4d" + "".join(f"-no{r}" for r in removed) + "@sim/x"
    record = await run_debate(team_setup(recording_gateway, pro=name), recording_gateway)
    assert record.status == "finished" and record.pro == name
    purposes = {r.purpose for r in recording_gateway.requests}
    for role in removed:
        assert f"agent.{role}" not in purposes
    assert "agent.writer" in purposes
    assert all(step.role not in removed for s in record.speeches for step in s.trace)


def test_ablations_and_role_models_make_distinct_stable_ids():
    ids = {
        parse_team(name, Config()).participant_id
        for name in [
            "team:a4d@sim/x",
            "team:a4d-nosearcher@sim/x",
            "team:a4d-noanalyzer@sim/x",
            "team:a4d-noreviewer@sim/x",
            "team:a4d@sim/x+writer=sim/w",
        ]
    }
    assert len(ids) == 5
    # canonical spelling: ablation order, role order, overrides equal to the base dropped
    assert (
        parse_team("team:a4d-noreviewer-nosearcher@sim/x", Config()).participant_id
        == "team:a4d-nosearcher-noreviewer@sim/x"
    )
    assert (
        parse_team("team:a4d@sim/x+reviewer=sim/r+writer=sim/w+analyzer=sim/x", Config()).participant_id
        == "team:a4d@sim/x+writer=sim/w+reviewer=sim/r"
    )
    assert (
        parse_team("team:a4d-noreviewer@sim/x", Config(), {"reviewer": "sim/r"}).participant_id
        == "team:a4d-noreviewer@sim/x"
    )


async def test_per_role_models_are_honoured(recording_gateway):
    setup = team_setup(recording_gateway, pro="team:a4d@sim/x+writer=sim/w", role_models={"reviewer": "sim/r"})
    assert setup.pro.participant_id == "team:a4d@sim/x+writer=sim/w+reviewer=sim/r"
    assert setup.pro.models == {"sim/x", "sim/w", "sim/r"}
    await run_debate(setup, recording_gateway)
    by_purpose: dict[str, set[str]] = {}
    for r in recording_gateway.requests:
        if r.purpose.startswith("agent."):
            by_purpose.setdefault(r.purpose, set()).add(r.model)
    assert by_purpose == {
        "agent.searcher": {"sim/x"},
        "agent.analyzer": {"sim/x"},
        "agent.writer": {"sim/w"},
        "agent.reviewer": {"sim/r"},
    }
    team_bets = [r for r in recording_gateway.requests if r.purpose == "bet" and r.model == "sim/w"]
    assert len(team_bets) == 3  # the team bets with its Writer's model


@pytest.mark.parametrize(
    "name, expected",
    [
        ("team:", "expected team:KIND"),
        ("team:xyz@sim/x", "unknown team kind 'xyz'"),
        ("team:a4d-nowriter@sim/x", "unknown ablation '-nowriter'"),
        ("team:a4d@", "model is missing"),
        ("team:a4d@sim/x+painter=sim/y", "unknown team role 'painter'"),
        ("team:a4d@sim/x+writer", "+ROLE=MODEL"),
        ("team:a4d@gpt4", "unknown participant"),
        ("team:nosuchteam", "no team definition"),
    ],
)
def test_bad_team_names_say_what_was_expected(name, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageProblem, match=re.escape(expected)):
        build_team(name, Config(), Gateway(), {})


def test_role_model_option_is_checked():
    with pytest.raises(UsageProblem, match="unknown team role 'judge'"):
        parse_team("team:a4d@sim/x", Config(), {"judge": "sim/j"})


def test_team_definition_file(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    path = tmp_path / "strong.toml"
    path.write_text(
        'kind = "a4d"\nmodel = "sim/x"\nablate = ["analyzer"]\nevidence_dir = "docs"\n[roles]\nwriter = "sim/w"\n',
        encoding="utf-8",
    )
    spec = parse_team(f"team:{path}", Config())
    assert not spec.plays("analyzer") and spec.roles["writer"].model == "sim/w"
    assert spec.participant_id.startswith("team:a4d-noanalyzer@sim/x+writer=sim/w~strong-")
    assert spec.as_dict()["evidence_dir"] == str(docs)
    path.write_text('model = "sim/x"\ncolour = "red"\n', encoding="utf-8")
    with pytest.raises(UsageProblem, match="unknown key"):
        parse_team(f"team:{path}", Config())


def test_arena_toml_names_work_for_the_team_and_its_roles():
    config = Config(participants={"careful": ModelSettings("sim/c", name="careful", temperature=0.2)})
    spec = parse_team("team:a4d@sim/x+writer=careful", config)
    assert spec.roles["writer"].temperature == 0.2
    assert spec.participant_id.startswith("team:a4d@sim/x+writer=sim/c~careful-")


# --------------------------------------------------------------------------- traces stored


async def test_traces_are_stored_and_shown(store, recording_gateway):
    from arena.render.debate_json import debate_document
    from arena.render.transcript_md import to_markdown
    from arena.store.queries import load_debate

    record = await run_debate(team_setup(recording_gateway, fmt="quick"), recording_gateway)
    store.save_debate(record)
    loaded = load_debate(store, record.id)
    assert loaded is not None
    for before, after in zip(record.speeches, loaded.speeches):
        assert [(s.role, s.stage, s.output) for s in before.trace] == [(s.role, s.stage, s.output) for s in after.trace]
    doc = debate_document(loaded)
    assert [st["role"] for st in doc["speeches"][0]["trace"]][:2] == ["searcher", "analyzer"]
    assert "**searcher**" in to_markdown(loaded, trace=True)


# --------------------------------------------------------------------------- readers


def test_readers_accept_loose_answers():
    assert parse_queries("1. Oslo parking\n- Ghent plan\nQueries:\n* cycling shops", "x") == [
        "Oslo parking",
        "Ghent plan",
        "cycling shops",
    ]
    assert parse_queries("", "the motion") == ["the motion"]
    assert parse_review("ACCEPT").accept
    review = parse_review("**Revise:** cite the WHO\n- answer Ghent")
    assert not review.accept and "cite the WHO" in review.notes and "answer Ghent" in review.notes
    assert not parse_review("It could be better.").accept
    assert clean_draft("Speech: Cars go. [E1]\n\nReferences:\n[E1] x") == "Cars go. [E1]"
    assert clean_draft("Cars go [E#] now.") == "Cars go now."
    assert cited_labels("a (E2) b [e1; E3] c [E2]") == ["E2", "E1", "E3"]
    trimmed = trim_to_words("One two three. Four five six seven. Eight nine ten eleven twelve", 9)
    assert trimmed == "One two three. Four five six seven."


def test_team_debater_reports_its_models():
    team = TeamDebater(parse_team("team:a4d-nosearcher@sim/x+writer=sim/w", Config()), Gateway())
    assert team.models == {"sim/x", "sim/w"}
    assert team.settings.as_dict()["ablated"] == ["searcher"]


# --------------------------------------------------------------------------- the embedded model


def _local_model_ready() -> bool:
    try:
        import llama_cpp  # noqa: F401

        from arena.llm import local

        local.model_name("local/smollm2")
        return True
    except Exception:  # noqa: BLE001
        return False


@pytest.mark.skipif(not _local_model_ready(), reason="the embedded model (llama-cpp-python) is not installed")
async def test_short_team_debate_on_the_embedded_model(tmp_path):
    fmt = tmp_path / "tiny.toml"
    fmt.write_text(
        'name = "tiny"\ndescription = "one short constructive each"\n'
        + "".join(
            f'[[stage]]\nname = "opening"\nside = "{side}"\nkind = "constructive"\nround = 1\n'
            f'sees = "all"\nword_limit = 40\ntime_limit = 60\n'
            for side in ("pro", "con")
        ),
        encoding="utf-8",
    )
    gateway = Gateway()
    setup = DebateSetup(
        motion=MOTION,
        format=load_format(str(fmt)),
        pro=build_debater("team:a4d@local/smollm2", Config(), gateway),
        con=ModelDebater(ModelSettings("sim/y"), gateway),
        judges=[JudgeSpec(ModelSettings("sim/judge"))],
        options=DebateOptions(seed=5),
        evidence=EVIDENCE,
    )
    record = await run_debate(setup, gateway)
    assert record.status == "finished", record.error
    speech = record.speeches[0]
    assert flow_string(speech).startswith("SAW") and speech.text.strip()
    assert all(step.model == "local/smollm2" and step.tokens_out > 0 for step in speech.trace)
    assert len(speech.text.split("\n\nReferences:\n")[0].split()) <= 40
    refs = re.findall(r"\(id: ([^)]+)\)$", speech.text, flags=re.M)
    assert set(refs) <= EVIDENCE_IDS


async def test_a_documents_folder_feeds_the_searcher(tmp_path, monkeypatch, recording_gateway):
    (tmp_path / "brief.md").write_text(
        "# Oslo footfall\n\nShops near car-free streets in Oslo gained footfall.\n", encoding="utf-8"
    )
    monkeypatch.setenv("ARENA_EVIDENCE_DIR", str(tmp_path))
    team = build_team("team:a4d@sim/x", Config(), recording_gateway, {})
    provider = team._default_search(_turn())
    assert any(f.origin == "docs" for f in await provider.search("Oslo footfall shops", 3))
    monkeypatch.setenv("ARENA_EVIDENCE_DIR", str(tmp_path / "missing"))
    with pytest.raises(UsageProblem, match="ARENA_EVIDENCE_DIR"):
        build_team("team:a4d@sim/x", Config(), recording_gateway, {})


def _turn():
    from arena.debate.turns import SpeechTurn

    fmt = load_format("quick")
    return SpeechTurn(
        motion=MOTION,
        format=fmt,
        stage=fmt.stages[0],
        visible=[],
        visible_bets=[],
        condition="private",
        seed=1000,
        evidence=EVIDENCE,
    )


def test_echoed_instructions_and_dangling_brackets_are_cleaned():
    draft = (
        "Proposition closing\nCars choke centres. Rewrite the whole speech with these revisions made.\n"
        "[Rewrite entire presentation with these revisions made.]\nOslo shows the way ["
    )
    assert clean_draft(draft) == "Cars choke centres.\nOslo shows the way"


async def test_a_short_accepted_revision_does_not_replace_a_full_draft():
    def writer(req: LLMRequest, n: int) -> str:
        if "Your previous draft:" in prompt_of(req):
            return "Here is the revised speech."
        return " ".join(["Cars must leave city centres because streets serve people."] * 8)

    gateway = ScriptedGateway({"agent.writer": writer, "agent.reviewer": lambda req, n: "ACCEPT"})
    record = await run_debate(team_setup(gateway, fmt="quick"), gateway)
    closing = record.speeches[2]  # a summary: the first ACCEPT is turned into a revision
    assert [s.role for s in closing.trace].count("writer") == 2
    assert closing.text.startswith("Cars must leave city centres")

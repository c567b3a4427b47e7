"""Importing the overconfidence study's debate files, checked by hand.

The fixture folder is written here in the study's own schema (field names as in
pradyuprasad/llms_overconfidence: motion.topic_description, debate_type,
proposition_output.speeches, judge_results, debator_bets ...).

    cross/    private_bet                    A vs B   judges pro 70, pro 60, con 90 -> pro (2-1)
              pro 60 70 "80" (a string)   con 70 75 75            <- a 75 exactly on one side
    self/     private_same_debator           C vs C   no judges -> no verdict
              pro 55 -- 76 (bet entry absent)   con 60 70 -- (closing speech is -1)
    public/   PUBLIC_SAME_DEBATOR            C vs C   judges pro 70, con 90 -> con (split, by confidence)
              pro 50 60 30                con 80 85 70            <- finals sum to exactly 100
    informed/ private_same_debator_informed  C vs C   judges pro 80, con 80 -> tie; debator_bets null
    redteam/deep/nested/  readteam_debate    C vs C   no judges
              pro 70 75 76                con 65 70 80            <- both finals > 75
    untyped.json  no debate_type             A vs C   no bets, no judges
    broken.json (not JSON), list.json (a JSON list), nomotion.json (no motion): reported
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from arena.debate.bet_rows import bet_rows_from_record
from arena.importers.overconfidence import ImportProblem, parse_overconfidence_dir
from arena.ratings.confidence import confidence_report

TOPIC = "This House would require national broadcasters to give equal prime-time coverage"
STAGES = ("opening", "rebuttal", "closing")
A, B, C = "openai/gpt-4o-mini", "qwen/qwen-max", "google/gemma-3-27b-it"


def study_debate(debate_type, pro, con, pro_bets, con_bets, judges=(), speeches=None, bets_null=False):
    """A debate in the study's schema. None in a bet list: no bet entry for that speech."""
    speeches = speeches or {}
    data = {
        "motion": {"topic_description": TOPIC},
        "debate_type": debate_type,
        "path_to_store": "experiments/x.json",
        "proposition_model": pro,
        "opposition_model": con,
        "prompts": {"first_speech_prompt": "...", "judge_prompt": "..."},
        "proposition_output": {
            "side": "proposition",
            "speeches": {s: speeches.get(("pro", s), f"Pro {s} speech text here.") for s in STAGES},
        },
        "opposition_output": {
            "side": "opposition",
            "speeches": {s: speeches.get(("con", s), f"Con {s} speech text.") for s in STAGES},
        },
        "judge_models": [j[0] for j in judges],
        "judge_results": [
            {"model": model, "winner": winner, "confidence": conf, "logic": "<winnerName>...</winnerName>"}
            for model, winner, conf in judges
        ],
        "debator_token_counts": {pro: {"successful_calls": 3, "successful_total_tokens": 1000}},
        "judge_token_counts": {},
    }
    bets = []
    for stage, p, c in zip(STAGES, pro_bets, con_bets):
        if p is not None:
            bets.append({"side": "proposition", "speech_type": stage, "amount": p, "thoughts": "I lead."})
        if c is not None:
            bets.append({"side": "opposition", "speech_type": stage, "amount": c, "thoughts": "I lead."})
    # the study writes pro then con per speech type, as above
    data["debator_bets"] = None if bets_null else bets
    return data


def write(root: Path, rel: str, content) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content, indent=2))
    return path


@pytest.fixture
def study_dir(tmp_path: Path) -> Path:
    root = tmp_path / "experiments"
    write(
        root,
        "cross/openai_gpt-4o-mini_vs_qwen_qwen-max_20250316_160017.json",
        study_debate(
            "private_bet",
            A,
            B,
            [60, 70, "80"],
            [70, 75, 75],
            judges=[("j/one", "proposition", 70), ("j/two", "proposition", 60), ("j/three", "opposition", 90)],
        ),
    )
    write(
        root,
        "self/gemma_vs_self_20250503_142712.json",
        study_debate(
            "private_same_debator",
            C,
            C,
            [55, None, 76],
            [60, 70, None],
            speeches={("con", "closing"): -1},
        ),
    )
    write(
        root,
        "public/gemma_vs_self_20250504_200444.json",
        study_debate(
            "PUBLIC_SAME_DEBATOR",
            C,
            C,
            [50, 60, 30],
            [80, 85, 70],
            judges=[("j/one", "proposition", 70), ("j/two", "opposition", 90)],
        ),
    )
    write(
        root,
        "informed/gemma_vs_self_20250503_165553.json",
        study_debate(
            "private_same_debator_informed",
            C,
            C,
            [],
            [],
            judges=[("j/one", "proposition", 80), ("j/two", "opposition", 80)],
            bets_null=True,
        ),
    )
    write(
        root,
        "redteam/deep/nested/gemma_vs_self_20250513_215114.json",
        study_debate(
            "readteam_debate",
            C,
            C,
            [70, 75, 76],
            [65, 70, 80],
        ),
    )
    untyped = study_debate(None, A, C, [], [])
    del untyped["debate_type"], untyped["debator_bets"], untyped["judge_results"]
    write(root, "untyped.json", untyped)
    write(root, "broken.json", "{not json")
    write(root, "list.json", "[1, 2]")
    nomotion = study_debate("private_bet", A, B, [50], [50])
    del nomotion["motion"]
    write(root, "nomotion.json", nomotion)
    return root


def by_type(debates):
    return {d.debate_type: d for d in debates}


def test_malformed_files_are_reported_and_the_rest_import(study_dir: Path):
    debates, problems = parse_overconfidence_dir(study_dir)
    assert len(debates) == 6
    assert sorted(p.path.name for p in problems) == ["broken.json", "list.json", "nomotion.json"]
    assert all(isinstance(p, ImportProblem) and p.message for p in problems)
    messages = {p.path.name: p.message for p in problems}
    assert "JSON" in messages["broken.json"]
    assert "motion" in messages["nomotion.json"]
    # sorted, recursive walk: the nested red-team file is found
    assert [d.source.relative_to(study_dir).parts[0] for d in debates] == [
        "cross",
        "informed",
        "public",
        "redteam",
        "self",
        "untyped.json",
    ]


def test_conditions_from_debate_type(study_dir: Path):
    debates, _ = parse_overconfidence_dir(study_dir)
    conditions = {d.debate_type: d.condition for d in debates}
    assert conditions == {
        "private_bet": "cross-model",
        "private_same_debator": "self",
        "PUBLIC_SAME_DEBATOR": "public",
        "private_same_debator_informed": "informed",
        "readteam_debate": "red-team",
        None: "cross-model",  # no type: guessed from two different models, with a warning
    }
    untyped = by_type(debates)[None]
    assert any("condition" in w for w in untyped.warnings)
    assert all(d.record.condition == d.condition for d in debates)


def test_condition_override(study_dir: Path):
    debates, _ = parse_overconfidence_dir(study_dir, condition="public")
    assert {d.condition for d in debates} == {"public"}
    assert by_type(debates)[None].warnings == []  # the caller chose: nothing to warn about
    assert by_type(debates)["private_bet"].debate_type == "private_bet"  # the file's word is kept


def test_cross_model_record(study_dir: Path):
    debates, _ = parse_overconfidence_dir(study_dir, collection="ovc-study")
    d = by_type(debates)["private_bet"]
    r = d.record
    assert r.id.startswith("ovc-") and r.status == "finished" and r.format == "ovc"
    assert r.collection == "ovc-study"
    assert (r.pro, r.con) == (f"model:{A}", f"model:{B}")
    assert r.motion.text == TOPIC and r.motion.category == "policy"
    assert r.motion.id.startswith("this-house-would-require-national-") and len(r.motion.id) <= 49
    assert r.started_at == datetime(2025, 3, 16, 16, 0, 17, tzinfo=UTC).timestamp()
    assert [(s.index, s.side, s.stage, s.kind, s.round) for s in r.speeches] == [
        (0, "pro", "opening", "constructive", 1),
        (1, "con", "opening", "constructive", 1),
        (2, "pro", "rebuttal", "rebuttal", 2),
        (3, "con", "rebuttal", "rebuttal", 2),
        (4, "pro", "closing", "summary", 3),
        (5, "con", "closing", "summary", 3),
    ]
    assert r.speeches[0].words == 5 and r.speeches[0].model == A
    assert [(b.after_speech, b.side, b.stage, b.amount) for b in r.bets] == [
        (0, "pro", "opening", 60),
        (1, "con", "opening", 70),
        (2, "pro", "rebuttal", 70),
        (3, "con", "rebuttal", 75),
        (4, "pro", "closing", 80),
        (5, "con", "closing", 75),  # "80" read as 80
    ]
    assert r.bets[0].reasoning == "I lead."
    assert r.judges == ["j/one", "j/two", "j/three"]
    assert [(b.judge, b.winner, b.confidence) for b in r.ballots] == [
        ("j/one", "pro", 70),
        ("j/two", "pro", 60),
        ("j/three", "con", 90),
    ]
    # majority decides even though the lone con ballot is the most confident
    assert r.verdict.winner == "pro"
    assert (r.verdict.pro_votes, r.verdict.con_votes) == (2, 1)
    assert d.token_counts["debator_token_counts"][A]["successful_calls"] == 3


def test_verdicts_split_tie_and_none(study_dir: Path):
    debates = by_type(parse_overconfidence_dir(study_dir)[0])
    public = debates["PUBLIC_SAME_DEBATOR"].record.verdict
    # one vote each: confidence 90 for con beats 70 for pro
    assert public.winner == "con"
    assert (public.pro_votes, public.con_votes, public.pro_confidence, public.con_confidence) == (1, 1, 70, 90)
    assert debates["private_same_debator_informed"].record.verdict.winner == "tie"  # 80 against 80
    assert debates["private_same_debator"].record.verdict is None  # no judges
    assert debates["readteam_debate"].record.verdict is None
    assert debates[None].record.verdict is None and debates[None].record.judges == []


def test_missing_speech_and_missing_bets(study_dir: Path):
    debates = by_type(parse_overconfidence_dir(study_dir)[0])
    r = debates["private_same_debator"].record
    # the con closing speech is -1: five speeches, but six bet slots
    assert len(r.speeches) == 5 and (5, "con") not in {(s.index, s.side) for s in r.speeches}
    assert [b.amount for b in r.bets] == [55, 60, None, 70, 76, None]
    informed = debates["private_same_debator_informed"].record  # debator_bets: null
    assert [b.amount for b in informed.bets] == [None] * 6
    assert [b.amount for b in debates[None].record.bets] == [None] * 6  # no debator_bets key


def test_bet_rows_from_record(study_dir: Path):
    debates = by_type(parse_overconfidence_dir(study_dir)[0])
    rows = bet_rows_from_record(debates["private_bet"].record, "cross-model")
    assert [(r.side, r.stage, r.stage_index, r.amount, r.won) for r in rows] == [
        ("pro", "opening", 0, 60, True),
        ("con", "opening", 0, 70, False),
        ("pro", "rebuttal", 1, 70, True),
        ("con", "rebuttal", 1, 75, False),
        ("pro", "closing", 2, 80, True),
        ("con", "closing", 2, 75, False),
    ]
    assert {r.participant for r in rows} == {f"model:{A}", f"model:{B}"}
    assert {r.condition for r in rows} == {"cross-model"} and not any(r.is_human for r in rows)
    tie_rows = bet_rows_from_record(debates["private_same_debator_informed"].record)
    assert {r.won for r in tie_rows} == {None} and {r.condition for r in tie_rows} == {"informed"}
    human = bet_rows_from_record(debates["private_bet"].record, "private", human_sides={"pro"})
    assert [r.is_human for r in human] == [True, False] * 3


def test_statistics_on_the_imported_folder(study_dir: Path):
    debates, _ = parse_overconfidence_dir(study_dir)
    rows = [row for d in debates for row in bet_rows_from_record(d.record, d.condition)]
    overall = confidence_report(rows).overall
    assert overall.debates == 6
    # missing: self 2 (pro rebuttal entry, con closing after a -1 speech), informed 6, untyped 6
    assert overall.missing_bets == 14
    # final bets: cross 80/75, public 30/70 (sum exactly 100), red-team 76/80;
    # self lacks con's closing bet; informed and untyped have none
    assert overall.mutual.n == 3
    assert overall.mutual.gt75 == pytest.approx(1 / 3)  # red-team only: 75 is not > 75
    assert overall.mutual.ge75 == pytest.approx(2 / 3)  # cross and red-team
    assert overall.mutual.sum_over_100 == pytest.approx(2 / 3)  # 100 is not over 100
    # verdicts: cross -> pro (60 70 80 won, 70 75 75 lost); public -> con (80 85 70 won,
    # 50 60 30 lost). (bet/100 - won)^2 per stage:
    #   opening  .16 + .49 + .25 + .04     = .94   / 4
    #   rebuttal .09 + .5625 + .36 + .0225 = 1.035 / 4
    #   closing  .04 + .5625 + .09 + .09   = .7825 / 4
    assert overall.brier_by_stage == pytest.approx({"opening": 0.94 / 4, "rebuttal": 1.035 / 4, "closing": 0.7825 / 4})
    report = confidence_report(rows).to_dict()
    assert report["by_condition"]["self"]["brier_by_stage"] == {
        "opening": None,
        "rebuttal": None,
        "closing": None,
    }
    assert set(report["by_condition"]) == {"cross-model", "self", "public", "informed", "red-team"}


def test_multi_round_files(tmp_path: Path):
    # the study's four-round robustness files: rebuttal_1, rebuttal_2, no prompts
    data = {
        "motion": {"topic_description": "This House believes that cats are better"},
        "debate_type": "private_self_bet",
        "proposition_model": B,
        "opposition_model": B,
        "proposition_output": {
            "side": "proposition",
            "speeches": {"opening": "a b", "rebuttal_1": "c d", "rebuttal_2": "e f", "closing": "g h"},
        },
        "opposition_output": {
            "side": "opposition",
            "speeches": {"opening": "a b", "rebuttal_1": -1, "rebuttal_2": "e f", "closing": "g h"},
        },
        "debator_bets": [
            {"side": "proposition", "speech_type": "opening", "amount": 30, "thoughts": ""},
            {"side": "opposition", "speech_type": "opening", "amount": "55%", "thoughts": ""},
            {"side": "proposition", "speech_type": "rebuttal_1", "amount": 70, "thoughts": ""},
            {"side": "proposition", "speech_type": "rebuttal_2", "amount": 60, "thoughts": ""},
            {"side": "opposition", "speech_type": "rebuttal_2", "amount": 150, "thoughts": ""},
            {"side": "proposition", "speech_type": "closing", "amount": 20, "thoughts": ""},
            {"side": "opposition", "speech_type": "closing", "amount": 15, "thoughts": ""},
        ],
    }
    write(tmp_path, "m/gemini_debate_1_20250515_224415.json", data)
    (debate,), problems = parse_overconfidence_dir(tmp_path)
    assert problems == []
    assert debate.condition == "self" and debate.record.motion.category == "value"
    r = debate.record
    assert [(s.index, s.stage, s.kind, s.round) for s in r.speeches] == [
        (0, "opening", "constructive", 1),
        (1, "opening", "constructive", 1),
        (2, "rebuttal_1", "rebuttal", 2),
        (4, "rebuttal_2", "rebuttal", 3),
        (5, "rebuttal_2", "rebuttal", 3),
        (6, "closing", "summary", 4),
        (7, "closing", "summary", 4),
    ]
    # 150 is not a bet: missing, with a warning; "55%" reads as 55
    assert [b.amount for b in r.bets] == [30, 55, 70, None, 60, None, 20, 15]
    assert any("150" in w for w in debate.warnings)
    rows = bet_rows_from_record(r)
    assert [row.stage_index for row in rows] == [0, 0, 1, 1, 2, 2, 3, 3]
    # escalation: pro 20 - 30 = -10, con 15 - 55 = -40
    assert confidence_report(rows).overall.escalation.mean == pytest.approx(-25.0)


def test_duplicate_files_and_missing_directory(tmp_path: Path, study_dir: Path):
    src = study_dir / "public" / "gemma_vs_self_20250504_200444.json"
    shutil.copy(src, study_dir / "zz_copy.json")
    debates, problems = parse_overconfidence_dir(study_dir)
    assert len(debates) == 6
    dup = [p for p in problems if p.path.name == "zz_copy.json"]
    assert len(dup) == 1 and "same debate" in dup[0].message
    debates, problems = parse_overconfidence_dir(tmp_path / "nowhere")
    assert debates == [] and len(problems) == 1

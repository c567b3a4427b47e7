"""Import the debate files of "When Two LLMs Debate, Both Think They'll Win" (2025).

The study (github.com/pradyuprasad/llms_overconfidence) writes one JSON file per debate:
the motion, `debate_type`, both models, each side's speeches by type, the judges'
results and the debaters' private bets after each speech. Speeches that failed are
stored as -1. Each file becomes a finished `DebateRecord` in format `ovc` (the study's
opening / rebuttal / closing rounds), so the arena's confidence statistics, ratings and
viewers work on the study's data unchanged.

Variants seen in the published files and handled here:
- `debate_type` values: private_bet (cross-model tournament), private_same_debator,
  private_same_debator_informed, PUBLIC_SAME_DEBATOR, readteam_debate (sic: the self
  red-team ablation), private_self_bet (multi-round files); the enum also names
  baseline, public_bet, same_debator, deceptive_self_debate and redteam_v2.
- `debator_bets` null or absent; `judge_results` empty (no verdict); `-1` speeches.
- multi-round files with speeches `rebuttal_1`, `rebuttal_2`, … and no `prompts`.
A file that does not fit is reported and skipped; the others still import.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from arena.debate.options import DebateOptions
from arena.debate.records import Ballot, Bet, DebateRecord, MotionRef, Speech, Verdict
from arena.debate.verdict import aggregate
from arena.errors import UsageProblem
from arena.literal import has_control, valid_unicode_tree
from arena.schemas import MAX_NAME, MAX_ROUNDS
from arena.user_files import MAX_STUDY_FILE_BYTES, MAX_STUDY_FILES, UserFileError, read_user_bytes

FORMAT = "ovc"
DEFAULT_COLLECTION = "overconfidence"

# The study's debate types (and the experiment labels of its analysis CSV, which some
# converted files carry) mapped to the arena's condition names.
CONDITIONS: dict[str, str] = {
    "private_bet": "cross-model",
    "cross_model": "cross-model",
    "private_same_debator": "self",
    "same_debator": "self",
    "private_self_bet": "self",
    "self_debate": "self",
    "standard_self": "self",
    "private_same_debator_informed": "informed",
    "informed_self": "informed",
    "public_same_debator": "public",
    "public_bet": "public",
    "public_bets": "public",
    "readteam_debate": "red-team",
    "redteam_v2": "red-team",
    "redteam": "red-team",
    "self_redteam_debate": "red-team",
    "deceptive_self_debate": "deceptive",
}
# "baseline" is the study's default type, written when no experiment was named: it says
# nothing about the condition, so it is treated like a missing type.
AMBIGUOUS_TYPES = {"", "baseline"}

STUDY_SIDES = {"proposition": "pro", "opposition": "con", "pro": "pro", "con": "con"}
_REBUTTAL_N = re.compile(r"^rebuttal_(\d+)$")
_STAMP = re.compile(r"(\d{8})_(\d{6})")


@dataclass(frozen=True)
class ImportProblem:
    path: Path
    message: str


@dataclass
class ImportedDebate:
    record: DebateRecord
    condition: str  # cross-model | self | informed | public | red-team | deceptive | override
    source: Path
    debate_type: str | None  # as written in the file
    warnings: list[str] = field(default_factory=list)  # oddities that did not stop the import
    token_counts: dict[str, Any] = field(default_factory=dict)  # the file's raw counts


class NotADebate(ValueError):
    """The file is not a study debate this importer understands (the message says why)."""


# --- the folder -----------------------------------------------------------------------


def parse_overconfidence_dir(
    path: Path,
    condition: str | None = None,
    *,
    collection: str = DEFAULT_COLLECTION,
) -> tuple[list[ImportedDebate], list[ImportProblem]]:
    """Every `*.json` under `path` (recursively, in sorted order), or `path` itself.

    `condition`, when given, is used for every file: it is how a caller names the
    condition of files whose `debate_type` is missing or says nothing ("baseline").
    Without it such files get `self` or `cross-model` from whether both sides are the
    same model, with a warning. A file whose content repeats an earlier one is reported
    rather than imported twice.
    """
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        return [], [ImportProblem(path, "no such file or directory")]
    files = study_files(path)
    debates: list[ImportedDebate] = []
    problems: list[ImportProblem] = []
    seen: dict[str, Path] = {}
    for file in files:
        try:
            raw = read_user_bytes(file, "study file", MAX_STUDY_FILE_BYTES)
            debate = parse_overconfidence_file(file, raw, condition, collection)
        except UserFileError as exc:  # a FIFO, a device, a directory named *.json, too large
            problems.append(ImportProblem(file, str(exc).removeprefix(f"{file}: ")))
            continue
        except NotADebate as exc:
            problems.append(ImportProblem(file, str(exc)))
            continue
        except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError, OverflowError) as exc:
            # A shape this importer did not foresee: the file is skipped, the others still import.
            problems.append(
                ImportProblem(file, f"not a debate this importer understands ({type(exc).__name__}: {str(exc)[:120]})")
            )
            continue
        except OSError as exc:
            problems.append(ImportProblem(file, f"cannot read: {exc.strerror or exc}"))
            continue
        first = seen.setdefault(debate.record.id, file)
        if first != file:
            problems.append(ImportProblem(file, f"same debate as {first}; skipped"))
            continue
        debates.append(debate)
    return debates, problems


def study_files(path: Path) -> list[Path]:
    """The files an import of `path` reads: `path` itself, or every `*.json` under it (sorted;
    whatever is not a regular file is kept, to be reported, not silently left out). More than
    MAX_STUDY_FILES is a usage problem."""
    if not path.is_dir():
        return [path]
    found = list(itertools.islice(path.rglob("*.json"), MAX_STUDY_FILES + 1))
    if len(found) > MAX_STUDY_FILES:
        raise UsageProblem(
            f"{path}: more than {MAX_STUDY_FILES:,} *.json files; import at most {MAX_STUDY_FILES:,} at once "
            "(one subfolder at a time)"
        )
    return sorted(p for p in found if not p.is_dir())


# --- one file -------------------------------------------------------------------------


def parse_overconfidence_file(
    path: Path,
    raw: bytes,
    condition: str | None = None,
    collection: str = DEFAULT_COLLECTION,
) -> ImportedDebate:
    """One study file as an `ImportedDebate`; raises `NotADebate` (a ValueError) if it is not."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise NotADebate("not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise NotADebate(f"not valid JSON: {exc.msg} (line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise NotADebate(f"not a debate: the top level is a {type(data).__name__}, not an object")

    warnings: list[str] = []
    data, surrogates = valid_unicode_tree(data)
    if surrogates:
        warnings.append(
            f"{surrogates} unpaired surrogate(s) (\\ud800-\\udfff escapes, not valid Unicode) replaced by U+FFFD"
        )
    topic = _text(_get(data, "motion", "topic_description"))
    if not topic:
        raise NotADebate("not a debate: no motion.topic_description")
    models = {"pro": _text(data.get("proposition_model")), "con": _text(data.get("opposition_model"))}
    for side, key in (("pro", "proposition_model"), ("con", "opposition_model")):
        if not models[side]:
            raise NotADebate(f"not a debate: no {key}")
        if has_control(models[side]) or len(models[side]) > MAX_NAME:
            raise NotADebate(
                f"{key}: expected a model name of at most {MAX_NAME} printable characters "
                "(no control or bidi characters)"
            )

    speeches_by_side = {
        "pro": _speeches(data, "proposition_output"),
        "con": _speeches(data, "opposition_output"),
    }
    if not speeches_by_side["pro"] and not speeches_by_side["con"]:
        raise NotADebate("not a debate: neither side has a speeches table")
    bets_by_slot = _bets(data.get("debator_bets"), warnings)
    ranks = _stage_ranks(
        {*speeches_by_side["pro"], *speeches_by_side["con"], *(stage for _, stage in bets_by_slot)},
        warnings,
    )

    speeches: list[Speech] = []
    bets: list[Bet] = []
    for stage, rank in sorted(ranks.items(), key=lambda item: item[1]):
        for offset, side in enumerate(("pro", "con")):
            index = 2 * rank + offset  # the ovc order: pro then con, round by round
            text = speeches_by_side[side].get(stage)
            if isinstance(text, str) and text.strip():
                speeches.append(
                    Speech(
                        index=index,
                        side=side,  # type: ignore[arg-type]
                        stage=stage,
                        kind=_kind(stage),
                        round=rank + 1,
                        text=text,
                        words=len(text.split()),
                        model=models[side],
                    )
                )
            elif text not in (None, -1, ""):
                warnings.append(f"{side} {stage} speech is a {type(text).__name__}; read as missing")
            # Every speech slot owes a bet: a failed speech (-1) or a bet the debater never
            # stated is recorded as a missing bet, which the statistics count.
            amount, thoughts = bets_by_slot.get((side, stage), (None, ""))
            bets.append(Bet(after_speech=index, side=side, amount=amount, reasoning=thoughts, stage=stage))  # type: ignore[arg-type]

    ballots = _ballots(data.get("judge_results"), set(models.values()), warnings)
    valid = [b for b in ballots if not b.void]
    verdict: Verdict | None = aggregate(ballots) if valid else None
    chosen, debate_type = _condition(data.get("debate_type"), condition, models, warnings)
    stamp = _timestamp(path.name) or _timestamp(_text(data.get("path_to_store")))
    listed = data.get("judge_models")
    judges = list(dict.fromkeys(b.judge for b in ballots)) or [
        j for j in (listed if isinstance(listed, list) else []) if isinstance(j, str)
    ]

    record = DebateRecord(
        id=f"ovc-{hashlib.sha256(raw).hexdigest()[:16]}",
        motion=_motion(topic),
        format=FORMAT,
        pro=f"model:{models['pro']}",
        con=f"model:{models['con']}",
        judges=judges,
        seed=0,
        status="finished",
        options=DebateOptions(condition=chosen, seed=0),  # type: ignore[arg-type]  # a study's own condition
        speeches=speeches,
        bets=bets,
        ballots=ballots,
        verdict=verdict,
        started_at=stamp or 0.0,
        finished_at=stamp,
        collection=collection,
    )
    token_counts = {
        key: data[key] for key in ("debator_token_counts", "judge_token_counts") if isinstance(data.get(key), dict)
    }
    return ImportedDebate(record, chosen, path, debate_type, warnings, token_counts)


# --- pieces of a file -----------------------------------------------------------------


def _get(data: dict, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)  # type: ignore[assignment]
    return data


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _speeches(data: dict, key: str) -> dict[str, Any]:
    output = data.get(key)
    if output is None:
        return {}
    speeches = output.get("speeches") if isinstance(output, dict) else None
    if not isinstance(speeches, dict):
        raise NotADebate(f"not a debate: {key}.speeches is not an object")
    return {str(k).strip().lower(): v for k, v in speeches.items()}


def _stage_ranks(stages: set[str], warnings: list[str]) -> dict[str, int]:
    """Round position of each speech type: opening, rebuttal(s), closing last."""
    ranks: dict[str, int] = {}
    for stage in stages:
        if stage == "opening":
            ranks[stage] = 0
        elif stage == "rebuttal":
            ranks[stage] = 1
        elif match := _REBUTTAL_N.match(stage):
            if len(match.group(1)) > 4 or int(match.group(1)) > MAX_ROUNDS:
                raise NotADebate(f"speech type {stage[:40]!r}: more than {MAX_ROUNDS} rounds; not a study debate")
            ranks[stage] = max(int(match.group(1)), 1)
        elif stage != "closing":
            warnings.append(f"unknown speech type {stage!r} skipped")
    if len(set(ranks.values())) != len(ranks):
        raise NotADebate(f"speech types {sorted(ranks)} give two speeches the same place")
    if "closing" in stages:
        ranks["closing"] = max(ranks.values(), default=0) + 1
    return ranks


def _kind(stage: str) -> str:
    if stage == "opening":
        return "constructive"
    return "summary" if stage == "closing" else "rebuttal"


def _amount(value: Any) -> int | None:
    """A 0–100 bet from an int, a float or a string like "70" or "70%"; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip().rstrip("%").strip()
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, (int, float)) and value == value and 0 <= value <= 100:
        return int(round(value))
    return None


def _bets(entries: Any, warnings: list[str]) -> dict[tuple[str, str], tuple[int | None, str]]:
    """(side, speech type) → (amount, thoughts); later duplicates are ignored, with a warning."""
    if entries is None:
        return {}
    if not isinstance(entries, list):
        warnings.append("debator_bets is not a list; no bets read")
        return {}
    slots: dict[tuple[str, str], tuple[int | None, str]] = {}
    for i, entry in enumerate(entries):
        side = STUDY_SIDES.get(_text(entry.get("side")).lower()) if isinstance(entry, dict) else None
        stage = _text(entry.get("speech_type")).lower() if isinstance(entry, dict) else ""
        if side is None or not stage:
            warnings.append(f"debator_bets[{i}] has no usable side and speech_type; skipped")
            continue
        if (side, stage) in slots:
            warnings.append(f"second bet for {side} {stage} ignored")
            continue
        amount = _amount(entry.get("amount"))
        if amount is None:
            warnings.append(f"{side} {stage} bet amount {entry.get('amount')!r} is not 0-100; read as missing")
        slots[(side, stage)] = (amount, _text(entry.get("thoughts")))
    return slots


def _ballots(results: Any, debaters: set[str], warnings: list[str]) -> list[Ballot]:
    if results is None:
        return []
    if not isinstance(results, list):
        warnings.append("judge_results is not a list; no ballots read")
        return []
    ballots: list[Ballot] = []
    for i, result in enumerate(results):
        if not isinstance(result, dict):
            warnings.append(f"judge_results[{i}] is not an object; skipped")
            continue
        judge = _text(result.get("model")) or f"judge-{i + 1}"
        if has_control(judge) or len(judge) > MAX_NAME:
            raise NotADebate(
                f"judge_results[{i}].model: expected a model name of at most {MAX_NAME} printable "
                "characters (no control or bidi characters)"
            )
        winner = STUDY_SIDES.get(_text(result.get("winner")).lower())
        confidence = _amount(result.get("confidence"))
        ballots.append(
            Ballot(
                judge=judge,
                winner=winner,  # type: ignore[arg-type]
                confidence=confidence or 0,
                reasons=_text(result.get("logic")),
                repeat=sum(b.judge == judge for b in ballots),  # the study ran some judges twice
                self_judged=judge in debaters,
                error="" if winner else f"unreadable winner {result.get('winner')!r}",
            )
        )
    return ballots


def _condition(
    debate_type: Any, override: str | None, models: dict[str, str], warnings: list[str]
) -> tuple[str, str | None]:
    written = debate_type if isinstance(debate_type, str) else None
    if override:
        return override, written
    key = (written or "").strip().lower()
    if key in CONDITIONS:
        chosen = CONDITIONS[key]
        # private_bet is the study's generic private-bet debate; the cross-model
        # tournament used it with two different models. With one model it is a self-debate.
        if chosen == "cross-model" and models["pro"] == models["con"]:
            chosen = "self"
        return chosen, written
    guess = "self" if models["pro"] == models["con"] else "cross-model"
    what = "no debate_type" if written is None else f"debate_type {written!r}"
    if key not in AMBIGUOUS_TYPES:
        what = f"unknown {what}"
    warnings.append(f"{what}; condition taken as {guess!r} from the models (pass a condition to choose)")
    return guess, written


def _timestamp(name: str) -> float | None:
    """The study stamps file names with YYYYMMDD_HHMMSS; read it as UTC seconds."""
    match = _STAMP.search(name or "")
    if not match:
        return None
    try:
        when = datetime.strptime("".join(match.groups()), "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return when.replace(tzinfo=UTC).timestamp()


def _motion(topic: str) -> MotionRef:
    """A stable id: a readable slug plus a hash, so two long motions that start alike differ."""
    words = re.sub(r"[^a-z0-9]+", " ", topic.lower()).split()
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 40:
            break
        slug = f"{slug}-{word}" if slug else word
    digest = hashlib.sha1(topic.encode("utf-8")).hexdigest()[:8]
    # "This House would …" proposes a policy; "This House believes …" judges a value.
    category = "policy" if re.search(r"\bwould\b", topic.lower()[:40]) else "value"
    return MotionRef(id=f"{slug or 'motion'}-{digest}", text=topic, category=category)


# --- records to bet rows --------------------------------------------------------------

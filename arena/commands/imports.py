"""`arena import`: other people's debates into collections of their own.

    arena import overconfidence DIR [--collection NAME] [--condition C]

reads the debate JSON files of "When Two LLMs Debate, Both Think They'll Win" so that
`arena confidence --collection NAME` computes the study's measures with the arena's own
code. A file that does not fit is reported (path and reason, on stderr) and skipped; the
rest import. Debate ids are content hashes, so importing a folder again adds only what
is new and says how much was already there. The same files may also go into a second
collection (say, one folder of the study on its own): there the id carries a short hash
of the collection's name too, since one debate row belongs to one collection. Imported collections never touch the
arena's ratings: the store updates ratings for the collection "arena" only.

Exit status: 0 when something was imported or there was nothing new to import, 1 when
every file failed, 2 for a folder that does not exist (or a usage mistake).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from arena.commands.common import Context, emit_json, friendly, pass_ctx
from arena.debate.options import ALL_CONDITIONS
from arena.errors import UsageProblem
from arena.literal import echo

if TYPE_CHECKING:
    from arena.importers.overconfidence import ImportedDebate, ImportProblem

# Every condition a study file can be given; the arena's four plus the study's own.
CONDITION_CHOICES = ALL_CONDITIONS


@dataclass
class ImportOutcome:
    collection: str
    files: int = 0
    imported: int = 0
    skipped: int = 0  # already in this collection
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[tuple[Path, str]] = field(default_factory=list)
    conditions: dict[str, int] = field(default_factory=dict)  # imported debates per condition

    @property
    def failed(self) -> bool:
        """Every file failed: there were problems and not one file was read as a debate."""
        return bool(self.problems) and self.imported == 0 and self.skipped == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "collection": self.collection,
            "files": self.files,
            "imported": self.imported,
            "skipped": self.skipped,
            "conditions": dict(sorted(self.conditions.items())),
            "problems": [{"path": str(p.path), "message": p.message} for p in self.problems],
            "warnings": [{"path": str(path), "message": message} for path, message in self.warnings],
        }


def study_files(path: Path) -> int:
    """How many files the importer will read: `path` itself, or every *.json under it."""
    from arena.importers.overconfidence import study_files as files

    return len(files(path)) if path.exists() else 0


def import_overconfidence(
    ctx: Context,
    path: Path,
    collection: str,
    condition: str | None,
    progress: Callable[[list[ImportedDebate]], Iterable[ImportedDebate]] = iter,
) -> ImportOutcome:
    """Parse the folder, then store each debate not stored yet (one transaction each)."""
    from arena.importers.overconfidence import ImportProblem, parse_overconfidence_dir
    from arena.store.store import AlreadyStored

    outcome = ImportOutcome(collection=collection, files=study_files(path))
    debates, problems = parse_overconfidence_dir(path, condition, collection=collection)
    outcome.problems = list(problems)
    for debate in debates:
        debate.record.id = scoped_id(debate.record.id, collection)
    stored = _stored_ids(ctx, [d.record.id for d in debates])
    for debate in progress(debates):
        outcome.warnings += [(debate.source, w) for w in debate.warnings]
        if debate.record.id in stored:
            outcome.skipped += 1
            continue
        try:
            ctx.store.save_debate(debate.record, _participants(debate))
        except AlreadyStored:  # stored meanwhile by another import of the same files
            outcome.skipped += 1
            continue
        except (ValueError, TypeError, OverflowError) as exc:
            # One file's debate the store cannot take (one transaction: nothing of it is
            # stored) is that file's problem; the other files still import.
            outcome.problems.append(
                ImportProblem(debate.source, f"not stored ({type(exc).__name__}: {str(exc)[:120]})")
            )
            continue
        outcome.imported += 1
        outcome.conditions[debate.condition] = outcome.conditions.get(debate.condition, 0) + 1
    return outcome


def scoped_id(debate_id: str, collection: str) -> str:
    """The importer's content-hash id in its default collection; in any other, that id plus
    a short hash of the collection's name, so the same file can live in both."""
    from arena.importers.overconfidence import DEFAULT_COLLECTION

    if collection == DEFAULT_COLLECTION:
        return debate_id
    return f"{debate_id}-{hashlib.sha256(collection.encode('utf-8')).hexdigest()[:6]}"


def _stored_ids(ctx: Context, ids: list[str]) -> set[str]:
    from arena.store.listings import stored_debate_ids

    return stored_debate_ids(ctx.store, ids)


def _participants(debate: ImportedDebate) -> list:  # list[ParticipantInfo]
    from arena.store.store import ParticipantInfo

    record = debate.record
    return [
        ParticipantInfo(id=pid, kind="model", display=pid.removeprefix("model:"))
        for pid in dict.fromkeys((record.pro, record.con))
    ]


def report(outcome: ImportOutcome, folder: Path, verbose: bool) -> None:
    """Problems first (each with its path), then one summary line; all on stderr."""

    def say(line: str) -> None:
        echo(line, err=True)

    if outcome.files == 0:
        say(f"no *.json files in {folder}: nothing to import")
        return
    for problem in outcome.problems:
        say(f"problem: {problem.path}: {problem.message}")
    if verbose:
        for path, message in outcome.warnings:
            say(f"warning: {path}: {message}")
    say(
        f"{outcome.files} files: {outcome.imported} imported into '{outcome.collection}', "
        f"{outcome.skipped} skipped (already imported), {len(outcome.problems)} problems"
    )
    if outcome.warnings and not verbose:
        files = len({path for path, _ in outcome.warnings})
        say(f"  {len(outcome.warnings)} warnings in {files} files (--verbose lists them)")
    if outcome.conditions:
        say("  imported by condition: " + ", ".join(f"{name} {n}" for name, n in sorted(outcome.conditions.items())))
    if outcome.imported or outcome.skipped:
        say(f"  next: arena confidence --collection {outcome.collection}")


def progress_bar(debates: list[ImportedDebate]) -> Iterable[ImportedDebate]:
    """A transient bar on stderr while debates are stored, when stderr is a terminal."""
    from rich.progress import track

    from arena.commands.common import err_console

    console = err_console()
    if not console.is_terminal or len(debates) < 50:
        return iter(debates)
    return track(debates, description="storing debates", console=console, transient=True)


@click.group(name="import")
def import_group() -> None:
    """Import other people's debates into a collection of their own."""


@import_group.command(name="overconfidence")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--collection", default="overconfidence", show_default=True, help="Collection to import into (never 'arena')."
)
@click.option(
    "--condition",
    type=click.Choice(CONDITION_CHOICES),
    help="Condition for every file (default: from each file's debate_type).",
)
@click.option("--verbose", "-v", is_flag=True, help="List every file's warnings too.")
@click.option("--json", "as_json", is_flag=True, help="Print only a JSON summary on stdout.")
@pass_ctx
@friendly
def overconfidence(
    ctx: Context, folder: Path, collection: str, condition: str | None, verbose: bool, as_json: bool
) -> None:
    """Import the overconfidence study's debate files (a folder, searched recursively).

    The study: "When Two LLMs Debate, Both Think They'll Win"
    (github.com/pradyuprasad/llms_overconfidence). Each debate becomes a finished debate
    in format ovc with its bets and judges' ballots; then `arena confidence --collection
    NAME` gives the study's measures. Importing the same folder again adds only new
    debates.
    """
    from arena.schemas import check_collection

    collection = check_collection(collection)  # no control or bidi characters: names are shown
    if collection == "arena":
        raise UsageProblem("imported debates never join the arena's own collection: choose another --collection")
    if not folder.exists():
        echo(f"error: {folder}: no such file or directory", err=True)
        sys.exit(2)
    outcome = import_overconfidence(ctx, folder, collection, condition, progress=progress_bar)
    if as_json:
        for problem in outcome.problems:
            echo(f"problem: {problem.path}: {problem.message}", err=True)
        emit_json(outcome.to_dict())
    else:
        report(outcome, folder, verbose)
    if outcome.failed:
        sys.exit(1)


commands = [import_group]


def _attach_issue22_imports() -> None:
    from arena.commands.import_groups import debate_groups  # group discussions (issue 22)
    from arena.commands.import_qa import import_qa  # QA sets as debates (issue 22)

    import_group.add_command(debate_groups)
    import_group.add_command(import_qa)


_attach_issue22_imports()

"""`arena import qa FILE`: questions with a known answer into a collection of their own
(attached to `arena import` in commands/imports.py).

Exit status: 0 when the file was read (new items stored, or none new), 1 when the file
was refused (its path and line on stderr), 2 for a file that does not exist."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from arena.commands.common import Context, emit_json, friendly, pass_ctx
from arena.errors import UsageProblem
from arena.literal import echo


@click.command(name="qa")
@click.argument("file", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--collection", default="qa", show_default=True, help="Collection to import into.")
@click.option("--json", "as_json", is_flag=True, help="Print only a JSON summary on stdout.")
@pass_ctx
@friendly
def import_qa(ctx: Context, file: Path, collection: str, as_json: bool) -> None:
    """Import QA items (JSONL or CSV): question, answer, optional options and category;
    MMLU-Pro's fields are accepted as they are. Multiple-choice answers may be the
    option's text, letter or 0-based index. A file with a line that does not fit is
    refused whole, with its path and line. Importing a file again adds only new items.

    \b
    A JSONL line:
      {"question": "Which planet is closest to the Sun?",
       "options": ["Venus", "Mercury", "Earth"], "answer": "B"}
    In CSV, the columns question,options,answer,category; options split by |

    \b
    Examples:
      arena import qa motions/qa_sample.jsonl
      arena import qa mmlu_pro_test.jsonl --collection mmlu-pro
      arena study qa --debaters sim/a,sim/b --judges sim/j --items 5
    """
    from arena.importers.qa import FIELDS, BadQAFile, import_qa_file
    from arena.schemas import check_collection

    collection = check_collection(collection)
    if file.is_dir():
        raise UsageProblem(f"{file}: a folder; give one JSONL or CSV file")
    if not file.is_file():
        raise UsageProblem(f"{file}: no such file")
    try:
        outcome = import_qa_file(ctx.store, file, collection)
    except BadQAFile as bad:
        echo(f"problem: {bad.text(file)}", err=True)
        sys.exit(1)
    if outcome.ignored:
        echo(
            f"warning: {file}: field(s) read past: {', '.join(outcome.ignored)} "
            f"(read: {', '.join(FIELDS)}; MMLU-Pro's others are fine)",
            err=True,
        )
    if as_json:
        emit_json(outcome.as_dict())
    else:
        echo(
            f"{outcome.items} items read, {outcome.imported} new in '{collection}' "
            f"({outcome.items - outcome.imported} already there)",
            err=True,
        )

"""The motion library: the shipped motions are sound, and bad files fail loudly and precisely."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from arena.motions import (
    CATEGORIES,
    Motion,
    MotionError,
    MotionLibrary,
    load_motions,
    motions_dir,
)

# --- the shipped library -------------------------------------------------------


@pytest.fixture(scope="module")
def library() -> MotionLibrary:
    return load_motions(motions_dir())


def test_shipped_library_is_large_and_balanced(library: MotionLibrary) -> None:
    assert len(library) >= 60
    for category in CATEGORIES:
        assert len(library.by_category(category)) >= 15, category


def test_every_motion_is_complete(library: MotionLibrary) -> None:
    prefixes = {
        "fact": ("This house believes that ",),
        "value": ("This house believes ", "This house prefers ", "This house regrets "),
        "policy": ("This house would ",),
    }
    for motion in library.all():
        assert motion.info_slide, motion.id
        # Info slides are short briefings: 2-4 sentences.
        sentences = re.findall(r"[.!?](?:\s|$)", motion.info_slide)
        assert 2 <= len(sentences) <= 4, (motion.id, len(sentences))
        assert motion.text.startswith(prefixes[motion.category]), motion.id
        assert motion.language == "en"
        assert motion.tags and motion.source, motion.id
        # Each motion sits in the file named after its category, or in a collection of
        # its own (motions/ground_truth.toml) that is named after no other category.
        stem = Path(motion.file).stem
        assert stem == motion.category or stem not in CATEGORIES, motion.id
        assert motion.line > 0


def test_ids_are_unique(library: MotionLibrary) -> None:
    ids = [m.id for m in library.all()]
    assert len(ids) == len(set(ids))


def test_evidence_is_plentiful_and_well_formed(library: MotionLibrary) -> None:
    with_evidence = [m for m in library.all() if len(m.evidence) >= 4]
    assert len(with_evidence) >= 10
    assert {m.category for m in with_evidence} == set(CATEGORIES)
    for motion in with_evidence:
        assert len({e.id for e in motion.evidence}) == len(motion.evidence)
        for item in motion.evidence:
            assert item.title and item.source and item.text


def test_as_dict_is_json_ready(library: MotionLibrary) -> None:
    motion = library.get("ban-private-cars-city-centres")
    data = json.loads(json.dumps(motion.as_dict()))
    assert data["id"] == motion.id
    assert data["category"] == "policy"
    assert data["evidence"][0].keys() == {"id", "title", "source", "text"}
    assert "file" not in data


def test_loading_is_cached(library: MotionLibrary) -> None:
    assert load_motions() is load_motions()


def test_motions_dir_honours_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ARENA_MOTIONS", str(tmp_path))
    assert motions_dir() == tmp_path
    monkeypatch.delenv("ARENA_MOTIONS")
    assert motions_dir().name == "motions"
    assert (motions_dir().parent / "arena").is_dir()


# --- lookups -----------------------------------------------------------------


def test_get_unknown_id_suggests_the_close_one(library: MotionLibrary) -> None:
    with pytest.raises(MotionError, match="did you mean 'universal-basic-income'"):
        library.get("universal-basic-incme")
    # Also a KeyError, for mapping-style callers, with an unquoted message.
    with pytest.raises(KeyError) as caught:
        library.get("universal-basic-incme")
    assert str(caught.value).startswith("unknown motion 'universal-basic-incme'")


def test_search_is_case_insensitive_over_id_text_and_tags(library: MotionLibrary) -> None:
    by_text = {m.id for m in library.search("NUCLEAR")}
    assert "nuclear-power-net-zero" in by_text
    by_tag = library.search("football")
    assert by_tag and all("football" in m.tags or "football" in m.text.lower() or "football" in m.id for m in by_tag)
    assert {m.id for m in library.search("private cars")} == {"ban-private-cars-city-centres"}
    assert library.search("no-such-thing-anywhere") == []
    assert len(library.search("")) == len(library)


def test_random_is_reproducible_with_a_seeded_rng(library: MotionLibrary) -> None:
    first = library.random(random.Random(7))
    assert library.random(random.Random(7)) == first
    assert isinstance(first, Motion)


def test_by_category_rejects_typos(library: MotionLibrary) -> None:
    with pytest.raises(MotionError, match="did you mean 'policy'"):
        library.by_category("polcy")


# --- bad files -----------------------------------------------------------------

GOOD = """\
[[motion]]
id = "{id}"
text = "This house would test things."
category = "policy"
info_slide = "A slide. Two sentences."
tags = ["testing"]
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(directory: Path) -> str:
    with pytest.raises(MotionError) as caught:
        load_motions(directory)
    return str(caught.value)


def test_a_good_file_loads(tmp_path: Path) -> None:
    write(tmp_path, "mine.toml", GOOD.format(id="a") + "\n" + GOOD.format(id="b"))
    library = load_motions(tmp_path)
    assert [m.id for m in library.all()] == ["a", "b"]
    assert library.get("b").line == 8


def test_missing_field_names_file_and_entry_line(tmp_path: Path) -> None:
    broken = GOOD.format(id="second").replace('info_slide = "A slide. Two sentences."\n', "")
    write(tmp_path, "policy.toml", GOOD.format(id="first") + "\n# a comment\n" + broken)
    message = load_error(tmp_path)
    assert re.search(r"policy\.toml:9: motion 'second': missing required field 'info_slide'", message), message


def test_bad_category_points_at_its_line(tmp_path: Path) -> None:
    write(tmp_path, "mixed.toml", GOOD.format(id="x").replace('"policy"', '"polcy"'))
    message = load_error(tmp_path)
    assert re.search(r"mixed\.toml:4: motion 'x': category 'polcy' must be one of", message), message
    assert "did you mean 'policy'" in message


def test_category_must_match_a_category_file(tmp_path: Path) -> None:
    write(tmp_path, "fact.toml", GOOD.format(id="x"))
    assert re.search(r"fact\.toml:4: .*category 'policy' in a file for 'fact' motions", load_error(tmp_path))


def test_duplicate_id_across_files_names_both_places(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", GOOD.format(id="same"))
    write(tmp_path, "b.toml", "# leading comment\n\n" + GOOD.format(id="same"))
    message = load_error(tmp_path)
    assert re.search(r"b\.toml:3: motion 'same': duplicate id, first defined at \S*a\.toml:1", message), message


def test_toml_syntax_error_reports_tomllibs_line(tmp_path: Path) -> None:
    write(tmp_path, "broken.toml", GOOD.format(id="ok") + '\n[[motion]]\nid = "oops\n')
    message = load_error(tmp_path)
    assert re.search(r"broken\.toml:9: invalid TOML: ", message), message
    assert "(at line" not in message


def test_unknown_key_is_rejected_with_a_suggestion(tmp_path: Path) -> None:
    write(tmp_path, "typo.toml", GOOD.format(id="t").replace("info_slide", "info_slid"))
    message = load_error(tmp_path)
    assert re.search(r"typo\.toml:5: motion 't': unknown key 'info_slid' \(did you mean 'info_slide'\?\)", message)
    assert "missing required field 'info_slide'" in message


def test_unknown_top_level_table_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, "plural.toml", GOOD.format(id="p").replace("[[motion]]", "[[motions]]"))
    assert re.search(r"plural\.toml:1: unknown top-level key 'motions'", load_error(tmp_path))


def test_bad_id_and_evidence_are_reported(tmp_path: Path) -> None:
    text = GOOD.format(id="Not A Slug") + (
        "evidence = [\n"
        '  { id = "e1", title = "T", source = "S", text = "Fine." },\n'
        '  { id = "e2", title = "T", source = "S" },\n'
        '  { id = "e3", title = "T", source = "S", text = "X", url = "u" },\n'
        "]\n"
    )
    write(tmp_path, "ev.toml", text)
    message = load_error(tmp_path)
    assert re.search(r"ev\.toml:2: .*must be a slug", message), message
    assert re.search(r"ev\.toml:9: .*evidence #2 'e2': field 'text' must be a non-empty string", message), message
    assert re.search(r"ev\.toml:10: .*evidence #3 'e3': unknown key 'url'", message), message


def test_all_errors_are_collected_one_per_line(tmp_path: Path) -> None:
    write(tmp_path, "one.toml", GOOD.format(id="a").replace('category = "policy"\n', ""))
    write(tmp_path, "two.toml", "this is not toml\n")
    with pytest.raises(MotionError) as caught:
        load_motions(tmp_path)
    assert len(caught.value.problems) == 2
    assert str(caught.value).count("\n") == 1


def test_edited_files_are_reloaded(tmp_path: Path) -> None:
    path = write(tmp_path, "mine.toml", GOOD.format(id="before"))
    assert load_motions(tmp_path).get("before")
    path.write_text(GOOD.format(id="after") + "# grown\n", encoding="utf-8")
    assert "after" in load_motions(tmp_path)


def test_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(MotionError, match="not found"):
        load_motions(tmp_path / "nowhere")


def test_duplicate_in_one_file_is_reported_alongside_other_mistakes(tmp_path: Path) -> None:
    second = GOOD.format(id="twin").replace('"policy"', '"valeu"')
    write(tmp_path, "same.toml", GOOD.format(id="twin") + "\n" + second)
    problems = pytest.raises(MotionError, load_motions, tmp_path).value.problems
    # Both problems, in file order: the duplicate header (line 8), then its bad category (line 11).
    assert [re.search(r"same\.toml:(\d+): ", p).group(1) for p in problems] == ["8", "11"]
    assert "duplicate id, first defined at" in problems[0] and "same.toml:1" in problems[0]
    assert "category 'valeu'" in problems[1]


# --- motions with a known answer ------------------------------------------------------


def test_known_answer_motions_are_many_sourced_and_balanced(library: MotionLibrary) -> None:
    known = library.with_truth()
    assert len(known) >= 40
    assert all(m.category == "fact" and m.truth in ("pro", "con") and m.truth_source for m in known)
    # Both answers are common, and commonly believed falsehoods are among them.
    assert min(sum(m.truth == side for m in known) for side in ("pro", "con")) >= 15
    assert "mmr-vaccine-causes-autism" in {m.id for m in known if m.truth == "con"}
    # Nobody is told the answer: the info slide never states the source or the verdict.
    for m in known:
        assert m.truth_source not in m.info_slide and "myth" not in m.info_slide.lower(), m.id


def test_judges_and_debaters_never_receive_the_truth(library: MotionLibrary) -> None:
    from dataclasses import fields

    from arena.play import motion_ref

    ref = motion_ref(library.get("great-wall-visible-from-orbit"))
    assert {f.name for f in fields(ref)} == {"id", "text", "category", "info_slide"}


KNOWN = """\
[[motion]]
id = "{id}"
text = "This house believes that water is wet."
category = "{category}"
info_slide = "A slide. Two sentences."
tags = ["testing"]
{extra}
"""


@pytest.mark.parametrize(
    ("category", "extra", "problem"),
    [
        ("fact", 'truth = "yes"\ntruth_source = "A book"', r"truth 'yes' must be \"pro\" or \"con\""),
        ("fact", 'truth = "pro"', r"needs a truth_source"),
        ("fact", 'truth_source = "A book"', r"truth_source without a truth"),
        ("value", 'truth = "pro"\ntruth_source = "A book"', r"only motions of fact have a truth"),
    ],
)
def test_bad_truth_is_reported_at_its_line(tmp_path: Path, category: str, extra: str, problem: str) -> None:
    write(tmp_path, "known.toml", KNOWN.format(id="w", category=category, extra=extra))
    message = load_error(tmp_path)
    assert re.search(r"known\.toml:\d+: motion 'w': .*" + problem, message), message


def test_a_known_answer_loads_with_its_source(tmp_path: Path) -> None:
    write(tmp_path, "known.toml", KNOWN.format(id="w", category="fact", extra='truth = "pro"\ntruth_source = "A book"'))
    motion = load_motions(tmp_path).get("w")
    assert (motion.truth, motion.truth_source) == ("pro", "A book")
    assert motion.as_dict()["truth"] == "pro"


def test_cli_lists_known_answer_motions_with_the_facts_and_alone() -> None:
    import os
    import subprocess
    import sys

    def listed(*args: str) -> list[dict]:
        out = subprocess.run(
            [sys.executable, "-m", "arena", "motions", "list", *args, "--json"],
            capture_output=True,
            text=True,
            env=dict(os.environ),
            timeout=120,
        )
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    facts = listed("--category", "fact")
    known = listed("--with-truth")
    assert len(known) >= 40 and all(m["truth"] in ("pro", "con") and m["truth_source"] for m in known)
    assert {m["id"] for m in known} < {m["id"] for m in facts}
    assert any(m["truth"] is None for m in facts)

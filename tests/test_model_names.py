"""One display rule for participants (`debate.model_names`): the shown name, and the
fitted form a table or chart uses when space is short, never two rows alike."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from arena.debate.model_names import fitted_names, shown_name
from arena.ratings.leaderboard import LeaderboardRow

LABEL = st.text(alphabet="abc/?=.0123456789-_", min_size=1, max_size=30)


@settings(max_examples=400, deadline=None)
@given(st.lists(LABEL, min_size=1, max_size=8, unique=True), st.integers(min_value=4, max_value=40))
def test_fitted_names_fit_and_never_read_alike(labels, width):
    shown = fitted_names(labels, width)
    assert all(len(s) <= width for s in shown)
    assert len(set(shown)) == len(labels)


def test_the_forms_a_reader_sees():
    alike = ["sim/alice?skill=0.9", "sim/alice?skill=0.8", "sim/bob"]
    assert fitted_names(alike, 12) == ["alice…ll=0.9", "alice…ll=0.8", "sim/bob"]
    seeded = ["sim/alice?skill=0.9&seed=1", "sim/alice?skill=0.8&seed=1"]
    assert fitted_names(seeded, 13) == ["alice?…9&seed", "alice?…8&seed"]  # where they differ, no #1/#2
    assert fitted_names(["team:a4d@sim/a", "sim/a"], 12) == ["team:a4d@si…", "sim/a"]  # a team keeps its kind
    assert fitted_names(["sim/alice?skill=0.9", "sim/bob?skill=0.9"], 12) == ["alice?skill…", "bob?skill=0…"]
    assert fitted_names(["openai/gpt-4o-mini"], 40) == ["openai/gpt-4o-mini"]


@given(st.sampled_from(["model:sim/a", "model:sim/x~calm-1a2b3c", "human:ann", "team:a4d@sim/a"]), st.booleans())
def test_a_leaderboard_row_is_labelled_by_the_same_rule(participant, named):
    names = {participant: "calm"} if named else {}
    numbers = dict.fromkeys(
        ("rank_ub", "rating", "ci_lo", "ci_hi", "debates", "wins", "ties", "losses", "score", "avg_opponent", "elo")
        + ("ts_mu", "ts_sigma", "ts_expose", "bt", "bt_lo", "bt_hi"),
        0,
    )
    row = LeaderboardRow(participant=participant, name=names.get(participant, ""), provisional=False, **numbers)
    assert row.label == shown_name(participant, names)


def test_options_a_rating_leaves_out_are_said_not_dropped_silently(db_path):
    from click.testing import CliRunner

    from arena.cli import cli

    result = CliRunner().invoke(
        cli, ["debate", "--pro", "sim/flaky?faults=0.2&latency=0.2", "--con", "sim/cat?skill=0.5", "--judge", "sim/j"]
    )
    said = " ".join(result.stderr.split())
    assert result.exit_code == 0, result.output
    assert "note: sim/flaky?faults=0.2&latency=0.2 is rated as sim/flaky: faults, latency" in said
    assert "note: sim/cat?skill=0.5 is rated as sim/cat: skill" in said
    quiet = CliRunner().invoke(cli, ["debate", "--pro", "sim/a?skill=0.8", "--con", "sim/b", "--judge", "sim/j"])
    assert "note:" not in quiet.stderr

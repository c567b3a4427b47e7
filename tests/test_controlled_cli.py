"""`arena leaderboard --control … --ci …` end to end: style columns imported with
battles, covariates read from stored debates, and every export carrying the controlled
rating, the rank change, the rank range and the coefficients."""

from __future__ import annotations

import csv
import io
import json
import math
import random

from click.testing import CliRunner

from arena.cli import cli
from arena.importers.battles import parse_battles


def run(db: str, *args: str):
    return CliRunner().invoke(cli, ["--db", db, *args])


def styled_battles(n: int = 1500, seed: int = 2) -> list[dict]:
    """Battles where the judge likes length: the weak models write more and so win more."""
    strength = {"alpha": 1.0, "beta": 0.5, "gamma": 0.0, "delta": -0.5, "eps": -1.0}
    verbose = {"alpha": 200, "beta": 300, "gamma": 400, "delta": 600, "eps": 800}
    rng, rows = random.Random(seed), []
    for i in range(n):
        a, b = rng.sample(list(strength), 2)
        ta, tb = round(verbose[a] * rng.uniform(0.5, 1.5)), round(verbose[b] * rng.uniform(0.5, 1.5))
        eta = strength[a] - strength[b] + 3.0 * (ta - tb) / (ta + tb + 1)
        winner = "model_a" if rng.random() < 1 / (1 + math.exp(-eta)) else "model_b"
        meta = {
            "sum_assistant_a_tokens": ta,
            "sum_assistant_b_tokens": tb,
            "header_count_a": {"h1": rng.randint(0, 2), "h2": 0},
            "header_count_b": {"h1": rng.randint(0, 2), "h2": 1},
            "list_count_a": {"ordered": rng.randint(0, 3), "unordered": 0},
            "list_count_b": {"ordered": 0, "unordered": rng.randint(0, 3)},
            "bold_count_a": {"**": rng.randint(0, 4), "__": 0},
            "bold_count_b": {"**": rng.randint(0, 4), "__": 0},
        }
        rows.append({"model_a": a, "model_b": b, "winner": winner, "tstamp": i, "conv_metadata": meta})
    return rows


def test_imported_style_columns_control_an_external_log_and_json_carries_everything(db_url, tmp_path):
    path = tmp_path / "arena.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in styled_battles()))
    assert run(db_url, "battles", "import", str(path), "--collection", "ext").exit_code == 0
    plain = json.loads(run(db_url, "leaderboard", "--collection", "ext", "--json", "--rounds", "50").stdout)
    out = run(
        db_url, "leaderboard", "--collection", "ext", "--json", "--rounds", "100",
        "--control", "length,markdown",
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["controls"] == ["length", "markdown"]
    assert [c["name"] for c in doc["coefficients"]] == ["length", "header", "list", "bold"]
    length = doc["coefficients"][0]
    assert {"value", "ci_lo", "ci_hi", "n"} <= set(length) and length["n"] == 1500
    assert length["ci_lo"] < length["value"] < length["ci_hi"] and length["ci_lo"] > 0  # the judge likes length
    assert "+100 words of length difference" in length["sentence"]
    rows = {r["participant"]: r for r in doc["rows"]}
    for r in doc["rows"]:
        assert 1 <= r["rank_lo"] <= r["position"] <= r["rank_hi"] <= 5
        assert r["uncontrolled"] is not None and isinstance(r["rank_change"], int)
    # controlled, the true order comes back; plain, the verbose weak ones are flattered
    assert [r["participant"] for r in doc["rows"]] == ["alpha", "beta", "gamma", "delta", "eps"]
    plain_rows = {r["participant"]: r for r in plain["rows"]}
    assert plain_rows["alpha"]["rating"] - plain_rows["eps"]["rating"] < rows["alpha"]["rating"] - rows["eps"]["rating"]


def test_every_format_shows_the_controlled_rating_its_interval_and_the_coefficients(db_url, tmp_path):
    path = tmp_path / "arena.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in styled_battles(600)))
    assert run(db_url, "battles", "import", str(path), "--collection", "ext").exit_code == 0
    args = ["leaderboard", "--collection", "ext", "--control", "length", "--ci", "sandwich"]
    md = run(db_url, *args, "--format", "md").stdout
    assert "Bradley–Terry controlled" in md and "| Plain | Δ# |" in md
    assert "## Controls" in md and "+100 words of length difference" in md and "Ranks" in md
    html = run(db_url, *args, "--format", "html").stdout
    assert "<h2>Controls</h2>" in html and "<th>Plain</th>" in html and "<th>Ranks</th>" in html
    table = csv.DictReader(io.StringIO(run(db_url, *args, "--format", "csv").stdout))
    first = next(table)
    assert {"rank_lo", "rank_hi", "rank_ub", "uncontrolled", "rank_change", "ci_method"} <= set(first)
    assert first["ci_method"] == "sandwich"
    text = CliRunner().invoke(cli, ["--db", db_url, *args], env={"COLUMNS": "140"}).output
    assert "BT ctl" in text and "plain" in text and "is worth" in text


def test_control_and_ci_mistakes_are_usage_errors(db_url):
    out = run(db_url, "leaderboard", "--control", "length,colour")
    assert out.exit_code == 2 and "unknown control 'colour'" in out.output
    out = run(db_url, "leaderboard", "--control", "length", "--system", "elo")
    assert out.exit_code == 2 and "--system bt" in out.output
    assert run(db_url, "leaderboard", "--ci", "jackknife").exit_code == 2


def test_style_columns_are_checked_with_their_line():
    bad = [
        {"model_a": "a", "model_b": "b", "winner": "tie", "words_a": 10},
        {"model_a": "a", "model_b": "b", "winner": "tie", "words_a": -1, "words_b": 3},
        {"model_a": "a", "model_b": "b", "winner": "tie", "side_a": "left"},
    ]
    text = "\n".join(json.dumps(r) for r in bad)
    try:
        parse_battles(text, "f.jsonl")
    except ValueError as exc:
        message = str(exc)
    assert "f.jsonl:1: words is given for one side only" in message
    assert "f.jsonl:2: words_a must be a non-negative number" in message
    assert "f.jsonl:3: side_a must be 'pro' or 'con'" in message
    good = parse_battles(json.dumps({"model_a": "a", "model_b": "b", "winner": "tie", "tokens_a": 5, "tokens_b": 7,
                                     "side_a": "con", "first_a": True}))  # fmt: skip
    assert json.loads(good[0].style or "") == {"words_a": 5.0, "words_b": 7.0, "a_side": -1, "a_first": 1}


def test_stored_debates_give_words_side_and_final_round_order(db_url):
    out = run(
        db_url, "tournament", "run", "--name", "t", "--players", "sim/a?verbosity=2,sim/b?verbosity=0.5",
        "--judge", "sim/j", "--sample", "2", "--seed", "3",
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    from arena.store.queries import load_debate
    from arena.store.store import Store
    from arena.store.style_query import debate_styles

    store = Store(db_url)
    log = store.match_log()
    styles = debate_styles(store, [m.id for m in log], texts=True)
    assert set(styles) == {m.id for m in log}
    for m in log:
        record = load_debate(store, m.id)
        assert record is not None
        s = styles[m.id]
        pro = sum(sp.words for sp in record.speeches if sp.side == "pro")
        con = sum(sp.words for sp in record.speeches if sp.side == "con")
        assert s.words == (pro, con) and s.a_side == 1
        last = max(sp.round for sp in record.speeches)
        first_side = min((sp for sp in record.speeches if sp.round == last), key=lambda sp: sp.index).side
        assert s.a_first == (1 if first_side == "pro" else -1)
        verbose_side = "pro" if m.model_a.endswith("verbosity=2") else "con"
        assert (s.words[0] > s.words[1]) == (verbose_side == "pro")


def test_a_controlled_table_fits_80_columns_and_an_empty_store_is_no_error(db_url, tmp_path):
    empty = run(db_url, "leaderboard", "--control", "length", "--ci", "sandwich")
    assert empty.exit_code == 0 and "No finished debates yet" in empty.output
    path = tmp_path / "arena.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in styled_battles(400)))
    assert run(db_url, "battles", "import", str(path), "--collection", "ext").exit_code == 0
    out = CliRunner().invoke(
        cli, ["--db", db_url, "leaderboard", "--collection", "ext", "--control", "length", "--rounds", "50"],
        env={"COLUMNS": "80"},
    )  # fmt: skip
    table = [line for line in out.stdout.splitlines() if line.startswith("│")]
    assert len(table) == 5 and max(len(line) for line in out.stdout.splitlines()) <= 80
    assert [line.split("│")[1].strip() for line in table] == ["1", "2", "3", "4", "5"]  # nothing squeezed away


def test_exported_debates_carry_their_style_and_import_into_the_same_controlled_board(db_url, tmp_path):
    players = "sim/a?verbosity=2&length_spread=0.5,sim/b?length_spread=0.5,sim/c?skill=0.7"
    out = run(db_url, "tournament", "run", "--name", "t", "--players", players, "--judge", "sim/j", "--sample", "3",
              "--seed", "5")  # fmt: skip
    assert out.exit_code == 0, out.output
    path = tmp_path / "out.jsonl"
    assert run(db_url, "battles", "export", "--jsonl", "-o", str(path)).exit_code == 0
    first = json.loads(path.read_text().splitlines()[0])
    assert {"words_a", "words_b", "side_a", "first_a", "header_a", "evidence_b"} <= set(first)
    assert first["side_a"] == "pro"
    assert run(db_url, "battles", "import", str(path), "--collection", "copy").exit_code == 0
    args = ["leaderboard", "--json", "--ci", "sandwich", "--control", "length,side,order,evidence,markdown"]
    arena_board = json.loads(run(db_url, *args).stdout)
    copy_board = json.loads(run(db_url, *args, "--collection", "copy").stdout)
    assert arena_board["coefficients"] and len(arena_board["coefficients"]) == len(copy_board["coefficients"])
    for a, c in zip(arena_board["rows"], copy_board["rows"]):
        assert a["participant"] == c["participant"]
        assert abs(a["rating"] - c["rating"]) < 0.05 and abs(a["ci_hi"] - c["ci_hi"]) < 0.05

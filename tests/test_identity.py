"""One identity per set-up: arena.toml names everywhere, api_base in the id, no secrets,
and old stores moved to the new ids without losing history (schema 2)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys

from arena.config import Config, ModelSettings
from arena.debate.options import DebateOptions
from arena.identity import model_participant_id, public_api_base
from arena.llm.gateway import Gateway
from arena.play import DebateRequest, play, prepare
from arena.store import tables as t
from arena.store.rebuild import rebuild
from arena.store.store import Store

SECRET_URL = "https://user:sekret@LLM.example.org:8443/v1/?api_key=zzz#frag"


def test_public_api_base_keeps_the_endpoint_and_drops_credentials():
    assert public_api_base(SECRET_URL) == "https://llm.example.org:8443/v1"
    assert public_api_base("http://127.0.0.1:8766/v1/") == "http://127.0.0.1:8766/v1"
    assert public_api_base(None) is None and public_api_base("") is None


def test_same_model_on_two_servers_is_two_participants_named_by_their_names():
    a = ModelSettings(model="openai/smollm2", name="llamasrv", api_base="http://127.0.0.1:8766/v1")
    b = ModelSettings(model="openai/smollm2", name="other", api_base="http://127.0.0.1:8767/v1")
    assert a.participant_id != b.participant_id
    assert a.participant_id.startswith("model:openai/smollm2~llamasrv-")
    same = ModelSettings(model="openai/smollm2", name="llamasrv", api_base="HTTP://127.0.0.1:8766/v1/")
    assert same.participant_id == a.participant_id  # normalised endpoint, same set-up
    secret = ModelSettings(model="openai/smollm2", name="s", api_base=SECRET_URL)
    assert "sekret" not in secret.participant_id and "zzz" not in secret.participant_id
    assert "sekret" not in json.dumps(secret.as_dict()) and "zzz" not in json.dumps(secret.as_dict())


def test_ids_without_api_base_are_unchanged():
    # the ids earlier versions gave: a plain model, and one with a persona
    assert ModelSettings(model="openai/gpt-4o").participant_id == "model:openai/gpt-4o"
    assert (
        model_participant_id("openai/gpt-4o", "calm", persona="calm")
        == "model:openai/gpt-4o~calm-"
        + (
            __import__("hashlib")
            .sha256(json.dumps({"max_tokens": None, "persona": "calm", "temperature": None}, sort_keys=True).encode())
            .hexdigest()[:6]
        )
    )


def config() -> Config:
    return Config(
        participants={
            "llamasrv": ModelSettings(model="sim/x", name="llamasrv", api_base="http://127.0.0.1:8766/v1"),
            "other": ModelSettings(model="sim/x", name="other", api_base=SECRET_URL),
        }
    )


def run(store: Store, seed: int) -> None:
    gateway = Gateway(backoff_base_s=0.0)
    setup = prepare(
        DebateRequest(pro="llamasrv", con="other", options=DebateOptions(judges=("sim/j",), seed=seed)),
        config(),
        gateway,
    )
    asyncio.run(play(setup, store, gateway))


def test_two_servers_get_two_rows_under_their_own_names(db_path):
    store = Store(db_path)
    for seed in range(3):
        run(store, seed)
    (tmp := __import__("pathlib").Path(db_path).parent / "arena.toml").write_text(
        '[participant.llamasrv]\nmodel = "sim/x"\napi_base = "http://127.0.0.1:8766/v1"\n'
    )
    out = subprocess.run(
        [sys.executable, "-m", "arena", "--db", db_path, "leaderboard", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp.parent,
    ).stdout
    rows = json.loads(out)["rows"]
    assert sorted(r["name"] for r in rows) == ["llamasrv", "other"]
    assert len({r["participant"] for r in rows}) == 2
    md = subprocess.run(
        [sys.executable, "-m", "arena", "--db", db_path, "leaderboard", "--format", "md"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp.parent,
    ).stdout
    assert "llamasrv (model:sim/x\\~llamasrv-" in md
    with sqlite3.connect(db_path) as conn:
        dump = "\n".join(conn.iterdump())
    assert "sekret" not in dump and "zzz" not in dump


def test_an_old_store_moves_to_the_new_ids_without_losing_history(db_path):
    store = Store(db_path)
    for seed in range(4):
        run(store, seed)
    before = store.match_log()
    new_ids = sorted({m.model_a for m in before} | {m.model_b for m in before})
    # make it a version-1 store: the old id (no api_base in it) and the URL as written
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM participant WHERE id LIKE '%~other-%'")
        old = "model:sim/x"
        for table, column in (
            ("debate", "pro_id"),
            ("debate", "con_id"),
            ("rating_state", "participant_id"),
            ("rating_change", "participant_id"),
        ):
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE {column} LIKE '%~other-%'", (old,))
        conn.execute(
            "UPDATE participant SET id = 'model:sim/x~llamasrv', settings_json = ? WHERE id LIKE '%llamasrv%'",
            (json.dumps({"model": "sim/x", "name": "llamasrv", "api_base": "http://127.0.0.1:8766/v1"}),),
        )
        for table, column in (
            ("debate", "pro_id"),
            ("debate", "con_id"),
            ("rating_state", "participant_id"),
            ("rating_change", "participant_id"),
        ):
            conn.execute(f"UPDATE {table} SET {column} = 'model:sim/x~llamasrv' WHERE {column} LIKE '%llamasrv%'")
        conn.execute(
            "INSERT INTO participant (id, kind, display, settings_json, created_at) VALUES (?, 'model', 'other', ?, 0)",
            (old, json.dumps({"model": "sim/x", "name": "other", "api_base": SECRET_URL})),
        )
        conn.execute("UPDATE schema_info SET version = 1")
    migrated = Store(db_path)
    assert migrated.schema_version() == t.SCHEMA_VERSION
    after = migrated.match_log()
    assert len(after) == len(before)
    assert sorted({m.model_a for m in after} | {m.model_b for m in after}) == new_ids
    assert [(m.id, m.winner) for m in after] == [(m.id, m.winner) for m in before]
    report = rebuild(migrated, write=False)
    assert report.max_elo_diff < 1e-9  # the incremental ratings moved with the ids
    with sqlite3.connect(db_path) as conn:
        dump = "\n".join(conn.iterdump())
    assert "sekret" not in dump and "zzz" not in dump

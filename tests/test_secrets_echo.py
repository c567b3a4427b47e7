"""Issue 12: a provider that echoes the Authorization header in its error body (several
proxies do) must not get the key into the store, `arena show` or the terminal. Issue 26:
nor when it echoes `?key=` in an error or the key into a speech, and a lone surrogate in
a speech is replaced and said, not an internal error that stores nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

KEY = "plainsecretvalue987654"
SK_KEY = "sk-echoedsecret1234567890"


class EchoKey(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        request = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status = 400 if b"echo400" in request else 401  # a 400 keeps the provider's text in the message
        body = json.dumps(
            {
                "error": {
                    "message": f"invalid credentials: {self.headers.get('Authorization')} "
                    f"(also {SK_KEY}, for {self.path}?key={QUERY_KEY})",
                    "type": "invalid_request_error",
                }
            }
        )
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def echo_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoKey)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def arena(*args: str, cwd: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "OPENAI_API_KEY": KEY, "ARENA_DB": os.path.join(cwd, "t.db")}
    return subprocess.run(
        [sys.executable, "-m", "arena", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def call_log(db: object, debate_id: str, cwd: str) -> list[str]:
    """Everything the call log holds and prints: its rows, its segments decompressed (the
    file's bytes hold them compressed, where a key would not show), `arena show ID --calls`
    and `arena calls ID N` for every call."""
    with sqlite3.connect(db) as conn:  # type: ignore[arg-type]
        rows = [repr(r) for r in conn.execute("SELECT * FROM model_call")]
        blobs = [zlib.decompress(d).decode() for (d,) in conn.execute("SELECT data FROM call_blob")]
        (count,) = conn.execute("SELECT count(*) FROM model_call WHERE debate_id = ?", (debate_id,)).fetchone()
    assert count > 0
    listed = arena("show", debate_id, "--calls", cwd=cwd)
    assert listed.returncode == 0, listed.stderr
    printed = [listed.stdout, listed.stderr]
    for n in range(1, count + 1):
        one = arena("calls", debate_id, str(n), "--json", cwd=cwd)
        assert one.returncode == 0, one.stderr
        printed += [one.stdout, one.stderr]
    return [*rows, *blobs, *printed]


def test_an_echoed_key_is_never_stored_or_printed(tmp_path, echo_server):
    (tmp_path / "arena.toml").write_text(
        f'[participant.keyed]\nmodel = "openai/echo"\napi_base = "{echo_server}"\n\n'
        f'[judge.keyed]\nmodel = "openai/echo400"\napi_base = "{echo_server}"\n'
    )
    cwd = str(tmp_path)
    outputs = []
    streamed = arena("debate", "--pro", "sim/a", "--con", "keyed", "--judge", "keyed", cwd=cwd)
    outputs += [streamed.stdout, streamed.stderr]
    assert streamed.returncode == 1, streamed.stderr
    with sqlite3.connect(tmp_path / "t.db") as conn:
        (debate_id,) = conn.execute("SELECT id FROM debate").fetchone()
    shown = arena("show", debate_id, "--format", "json", cwd=cwd)
    doc = json.loads(shown.stdout)
    assert doc["status"] == "void" and "refused the credentials; check OPENAI_API_KEY" in doc["error"]
    judged = arena("debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "keyed", "--json", cwd=cwd)
    outputs += [judged.stdout, judged.stderr]
    ballots = json.loads(judged.stdout)["ballots"]
    assert ballots and all("[redacted]" in b["error"] for b in ballots)
    for fmt in ("text", "md", "json"):
        shown = arena("show", doc["id"], "--format", fmt, cwd=cwd)
        assert shown.returncode == 0, shown.stderr
        outputs += [shown.stdout, shown.stderr]
    with sqlite3.connect(tmp_path / "t.db") as conn:
        outputs.append("\n".join(conn.iterdump()))
        errors = [e for (e,) in conn.execute("SELECT error FROM model_call WHERE error != ''")]
    assert any("Bearer [redacted]" in e for e in errors)  # the failed calls are on record, keys masked
    outputs.append((tmp_path / "t.db").read_bytes().decode("utf-8", "replace"))  # the file itself, not only rows
    outputs += call_log(tmp_path / "t.db", doc["id"], cwd) + call_log(tmp_path / "t.db", debate_id, cwd)
    for text in outputs:
        assert KEY not in text and SK_KEY not in text and "Bearer " + KEY[:6] not in text
        assert QUERY_KEY not in text
        assert "Traceback" not in text


class EchoSpeech(BaseHTTPRequestHandler):
    """An OpenAI-compatible server whose answers quote the request's Authorization header
    and hold an unpaired surrogate (a JSON "\\ud800" escape), streamed or not."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        text = (
            f"My opponent is wrong. The header said {self.headers.get('Authorization')} and the key "
            f"{KEY} and ?key={QUERY_KEY}; a broken character \ud800 follows."
        )
        if request.get("stream"):
            chunks = [
                {"choices": [{"index": 0, "delta": {"role": "assistant", "content": text}}]},
                {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
                {"choices": [], "usage": {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30}},
            ]
            body = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
            kind = "text/event-stream"
        else:
            body = json.dumps(
                {
                    "id": "x",
                    "object": "chat.completion",
                    "created": 0,
                    "model": "echo",
                    "choices": [
                        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}
                    ],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30},
                }
            )
            kind = "application/json"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


QUERY_KEY = "querysecret5551234"


@pytest.fixture
def speech_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoSpeech)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_a_speech_that_echoes_the_key_and_a_lone_surrogate_is_stored_clean(tmp_path, speech_server):
    """Secrets class and Unicode class: the echoed key never reaches the database file
    (its bytes are searched), the surrogate is replaced and said, the debate finishes."""
    (tmp_path / "arena.toml").write_text(  # the persona puts the key into its prompts (the call log's messages)
        f'[participant.keyed]\nmodel = "openai/echo"\napi_base = "{speech_server}?key={QUERY_KEY}"\n'
        f'persona = "a debater who quotes Bearer {KEY} and ?key={QUERY_KEY}"\n'
    )
    cwd = str(tmp_path)
    played = arena("debate", "--pro", "sim/a", "--con", "keyed", "--judge", "sim/j", "--format", "quick", cwd=cwd)
    assert played.returncode == 0, played.stderr
    assert "internal error" not in played.stderr
    assert "unpaired surrogate" in played.stderr
    raw = (tmp_path / "t.db").read_bytes()
    for secret in (KEY, QUERY_KEY):
        assert secret.encode() not in raw
    with sqlite3.connect(tmp_path / "t.db") as conn:
        speeches = [t for (t,) in conn.execute("SELECT text FROM speech WHERE text LIKE '%opponent is wrong%'")]
        (warnings,) = conn.execute("SELECT warnings_json FROM debate").fetchone()
    assert speeches and all("[redacted]" in t and "\ufffd" in t for t in speeches)
    assert "unpaired surrogate" in warnings
    exported = arena("battles", "export", cwd=cwd)
    debate_id = json.loads(exported.stdout)[0]["debate_id"]
    shown = arena("show", "--format", "json", debate_id, cwd=cwd)
    logged = call_log(tmp_path / "t.db", debate_id, cwd)
    assert any("a debater who quotes Bearer [redacted]" in t for t in logged)  # the prompt is on record, masked
    assert any("\ufffd" in t and "My opponent is wrong" in t for t in logged)  # the answer too, repaired
    for text in (played.stdout, played.stderr, exported.stdout, shown.stdout, shown.stderr, *logged):
        assert KEY not in text and QUERY_KEY not in text

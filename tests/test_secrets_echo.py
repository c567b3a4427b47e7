"""Issue 12: a provider that echoes the Authorization header in its error body (several
proxies do) must not get the key into the store, `arena show` or the terminal."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

KEY = "plainsecretvalue987654"
SK_KEY = "sk-echoedsecret1234567890"


class EchoKey(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        request = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status = 400 if b"echo400" in request else 401  # a 400 keeps the provider's text in the message
        body = json.dumps({"error": {"message": f"invalid credentials: {self.headers.get('Authorization')} "
                                                f"(also {SK_KEY})", "type": "invalid_request_error"}})
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
    return subprocess.run([sys.executable, "-m", "arena", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120, stdin=subprocess.DEVNULL)


def test_an_echoed_key_is_never_stored_or_printed(tmp_path, echo_server):
    (tmp_path / "arena.toml").write_text(
        f'[participant.keyed]\nmodel = "openai/echo"\napi_base = "{echo_server}"\n\n'
        f'[judge.keyed]\nmodel = "openai/echo400"\napi_base = "{echo_server}"\n')
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
    for text in outputs:
        assert KEY not in text and SK_KEY not in text and "Bearer " + KEY[:6] not in text
        assert "Traceback" not in text

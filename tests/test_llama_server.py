"""Issue 12: a debate against llama.cpp's real OpenAI-compatible server (the
`llama-cpp-python[server]` extra, serving the embedded SmolLM2 GGUF on loopback) as both
debater and judge, through arena.toml with `api_base`, no key and `concurrency = 1`.

Kept short: a two-speech format of 25 words and few tokens. Several minutes on a loaded
2-core machine; most of it is the model's generation."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.slow

TINY_FORMAT = """name = "tiny"
[[stage]]
side = "pro"
name = "opening"
word_limit = 25
[[stage]]
side = "con"
name = "opening"
word_limit = 25
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def llama_server(tmp_path):
    import llama_cpp.server.app  # noqa: F401  (the test extra installs it; a missing one fails here)

    from arena.llm.local import find_gguf

    port = free_port()
    log = open(tmp_path / "server.log", "w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "arena.llm.llama_server",
            "--model",
            str(find_gguf("smollm2")),
            "--model_alias",
            "smollm2",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "2048",
            "--n_threads",
            "2",
            "--interrupt_requests",
            "False",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None:
                pytest.fail((tmp_path / "server.log").read_text()[-2000:])
            time.sleep(0.5)
    yield f"http://127.0.0.1:{port}/v1"
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def test_a_debate_on_the_llama_cpp_server_as_debater_and_judge(tmp_path, llama_server):
    (tmp_path / "tiny.toml").write_text(TINY_FORMAT)
    (tmp_path / "arena.toml").write_text(
        f'[participant.srv]\nmodel = "openai/smollm2"\napi_base = "{llama_server}"\nmax_tokens = 60\n'
        f'concurrency = 1\n\n[judge.srvj]\nmodel = "openai/smollm2"\napi_base = "{llama_server}"\nmax_tokens = 200\n'
        "concurrency = 1\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}  # a local server needs no key
    env["ARENA_DB"] = str(tmp_path / "t.db")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "arena",
            "debate",
            "--pro",
            "srv",
            "--con",
            "sim/b",
            "--judge",
            "srvj",
            "--format",
            "tiny.toml",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=900,
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in out.stderr
    doc = json.loads(out.stdout)
    assert out.returncode == 0, (doc.get("error"), out.stderr[-2000:])
    assert doc["status"] == "finished"
    assert doc["speeches"][0]["text"].strip() and doc["speeches"][0]["model"] == "openai/smollm2"
    assert doc["verdict"]["winner"] in ("pro", "con", "tie")
    assert any(not b["void"] for b in doc["ballots"])

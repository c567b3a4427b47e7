"""OpenAI-compatible servers that misbehave on purpose, on 127.0.0.1, for the provider
fault tests (tests/test_hostile_provider.py) and the hostile-case replay
(benchmarks/hostile_cases.py). No network, no key.

`serve(behaviour)` starts one in a thread and returns a `FakeServer` (its `url` is an
api_base, its `requests` counts the POSTs). The behaviour is a name, optionally per
request (`"cut,ok"`: the first request is cut, the next answered, the last one repeated):

- ok: a streamed (or plain JSON) answer that ends with a finish reason;
- cut: the stream stops cleanly after a few pieces, with no finish reason and no [DONE];
- break: the connection is dropped mid-stream (a chunked body never terminated);
- stall: a few pieces, then silence (for `stall_s` seconds);
- stall_first: silence before the first byte of the answer;
- slow: every piece after a pause of `stall_s` / 4 (steady, never quiet for `stall_s`);
- latin1: a 200 answer whose body is not UTF-8;
- status:NNN: an error answer with that HTTP status (`status:401`);
- echo: an answer that repeats the request's Authorization header and path, and holds a
  lone surrogate (a hostile or careless proxy);
- echo_error: an HTTP 400 whose message repeats the Authorization header and the path.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WORDS = "The proposition holds because evidence shows the policy works and my opponent ignores the record".split()


@dataclass
class FakeServer:
    url: str
    server: ThreadingHTTPServer
    requests: list[dict] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve(behaviour: str, stall_s: float = 1.0, words: int = 40) -> FakeServer:
    plan = behaviour.split(",")
    state: dict[str, FakeServer] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            try:
                self._answer()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout): nothing to say

        def _answer(self) -> None:
            fake = state["fake"]
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            fake.requests.append(body)
            fake.headers.append(dict(self.headers))
            mode = plan[min(len(fake.requests), len(plan)) - 1]
            if mode.startswith("status:"):
                return self._error(int(mode.split(":")[1]))
            if mode == "echo_error":
                return self._error(400, f" (you sent {self.headers.get('Authorization')} to {self.path})")
            if mode == "echo":
                echoed = f"You sent {self.headers.get('Authorization')} to {self.path}; \ud800 noted. "
                return self._plain("ok", echoed) if not body.get("stream") else self._echo_stream(echoed)
            if mode == "latin1":
                return self._send(200, "application/json", "réponse: naïve".encode("latin-1"))
            if mode == "stall_first":
                time.sleep(stall_s)
                mode = "ok"
            if not body.get("stream"):
                return self._plain(mode)
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for word in (WORDS * 10)[: max(1, words if mode in ("ok", "slow") else words // 2)]:
                if mode == "slow":
                    time.sleep(stall_s / 4)
                self._chunk({"content": word + " "}, None)
            if mode == "cut":
                self._raw(b"")  # the body ends cleanly: no finish reason, no [DONE]
                return
            if mode == "break":
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)  # dropped mid-body: never terminated
                self.close_connection = True
                return
            if mode == "stall":
                time.sleep(stall_s)
                return
            self._chunk({}, "stop")
            self._raw(b"data: [DONE]\n\n")
            self._raw(b"")

        def _echo_stream(self, echoed: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for word in [*echoed.split(" "), *(WORDS * 10)[:words]]:
                self._chunk({"content": word + " "}, None)
            self._chunk({}, "stop")
            self._raw(b"data: [DONE]\n\n")
            self._raw(b"")

        def _plain(self, mode: str, prefix: str = "") -> None:
            if mode == "stall":
                time.sleep(stall_s)
            text = prefix + " ".join((WORDS * 10)[:words])
            data = {
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": "fake",
                "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
                "usage": {"prompt_tokens": 10, "completion_tokens": words, "total_tokens": 10 + words},
            }
            self._send(200, "application/json", json.dumps(data).encode())

        def _error(self, status: int, said: str = "") -> None:
            data = json.dumps({"error": {"message": f"refused with {status}{said}", "type": "invalid_request_error"}})
            self._send(status, "application/json", data.encode())

        def _send(self, status: int, kind: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _chunk(self, delta: dict, finish: str | None) -> None:
            event = {
                "id": "x",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": "fake",
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            self._raw(f"data: {json.dumps(event)}\n\n".encode())

        def _raw(self, data: bytes) -> None:
            """One piece of a chunked body (an empty one ends the body)."""
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake = FakeServer(f"http://127.0.0.1:{server.server_address[1]}/v1", server)
    state["fake"] = fake
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake

"""Issue 26, classes 6 and 7 (the provider's side): a stream cut off mid-answer is retried,
the provider timeouts are settings (global and per participant) with a stall timeout
measured since the last piece, named in the void reason with how to raise it; a reply
that is not UTF-8 and an api_base with user:password@ say what happened and are not
retried as transient; a 100,000-character `show` id says what an id looks like.

The providers are real HTTP servers on 127.0.0.1 (tests/fake_servers.py) behind the real
litellm client: small timeouts, no sleep longer than a second."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from arena.cli import cli
from arena.llm import litellm_bridge, timeouts
from arena.llm.gateway import Gateway
from arena.llm.types import (
    AuthError,
    BadOutputError,
    CallTimeoutError,
    LLMRequest,
    Message,
    StallError,
    StreamCutError,
)
from tests.fake_servers import WORDS, serve

pytestmark = pytest.mark.filterwarnings("ignore:coroutine 'Logging.async_success_handler':RuntimeWarning")
litellm_bridge.load()

PASSWORD = "pa55wordZ9Q"


@pytest.fixture(autouse=True)
def _clean(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("ARENA_DB", "ARENA_CONFIG", "ARENA_TIMEOUT", "ARENA_STALL_TIMEOUT", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    timeouts.clear()
    yield
    timeouts.clear()


@pytest.fixture
def server():
    started = []

    def start(behaviour: str, **kw):
        fake = serve(behaviour, **kw)
        started.append(fake)
        return fake

    yield start
    for fake in started:
        fake.close()


def request(api_base: str, **kw) -> LLMRequest:
    return LLMRequest("openai/fake", [Message("user", "Argue.")], api_base=api_base, **kw)


def pieces() -> tuple[list[str], object]:
    heard: list[str] = []
    return heard, heard.append


# ============================================================== class 6: stream cuts


async def test_a_stream_cut_off_mid_answer_is_retried_and_the_whole_answer_kept(server):
    fake = server("cut,ok")
    heard, on_token = pieces()
    completion = await Gateway(backoff_base_s=0).complete(request(fake.url), on_token)
    assert completion.text.split() == (WORDS * 10)[:40]  # the second, whole answer
    assert completion.usage.retries == 1 and len(fake.requests) == 2
    assert "".join(heard).endswith(completion.text.strip() + " ")  # the listener heard the retry from its start


async def test_a_stream_that_breaks_mid_answer_is_retried(server):
    fake = server("break,ok")
    completion = await Gateway(backoff_base_s=0).complete(request(fake.url), pieces()[1])
    assert len(completion.text.split()) == 40 and len(fake.requests) == 2


async def test_a_stream_always_cut_fails_as_cut_after_the_retries(server):
    fake = server("cut")
    with pytest.raises(StreamCutError, match=r"cut off before the model finished.*tried 3 times"):
        await Gateway(max_retries=2, backoff_base_s=0).complete(request(fake.url), pieces()[1])
    assert len(fake.requests) == 3


# ============================================================== class 6: timeouts


async def test_a_stalled_stream_fails_after_two_stalls_and_names_the_participants_setting(server):
    fake = server("stall", stall_s=1.0)
    timeouts.register("openai/fake", fake.url, "participant.slow", stall_timeout=0.2)
    with pytest.raises(StallError) as raised:
        await Gateway(max_retries=3, backoff_base_s=0).complete(request(fake.url), pieces()[1])
    assert len(fake.requests) == 2  # hung: not four attempts
    message = str(raised.value)
    assert "quiet for 0.2 s" in message and "stall_timeout" in message
    assert "stall_timeout = SECONDS in [participant.slow] of arena.toml" in message


async def test_silence_before_the_first_piece_is_a_stall_too(server, monkeypatch):
    monkeypatch.setenv("ARENA_STALL_TIMEOUT", "0.2")
    fake = server("stall_first", stall_s=1.0)
    with pytest.raises(StallError, match="ARENA_STALL_TIMEOUT=SECONDS"):
        await Gateway(backoff_base_s=0).complete(request(fake.url), pieces()[1])


async def test_a_slow_but_steady_stream_is_not_stalled(server):
    """The stall timeout counts from the last piece: 20 pieces 0.1 s apart (2 s in all) pass
    a stall timeout of 0.4 s."""
    fake = server("slow", stall_s=0.4, words=20)
    timeouts.set_defaults(stall_timeout=0.4)
    completion = await Gateway(backoff_base_s=0).complete(request(fake.url), pieces()[1])
    assert len(completion.text.split()) == 20 and len(fake.requests) == 1


async def test_a_hung_call_without_streaming_fails_after_two_timeouts_naming_the_defaults(server):
    fake = server("stall", stall_s=1.0)
    timeouts.set_defaults(timeout=0.3)
    with pytest.raises(CallTimeoutError) as raised:
        await Gateway(max_retries=3, backoff_base_s=0).complete(request(fake.url))
    assert len(fake.requests) == 2
    assert "0.3 s" in str(raised.value) and "timeout = SECONDS in arena.toml's [defaults]" in str(raised.value)


def test_the_participants_setting_wins_over_the_environment_and_the_defaults(monkeypatch):
    timeouts.set_defaults(timeout=50, stall_timeout=40)
    assert timeouts.for_call("openai/x", None) == timeouts.Timeouts(
        timeouts.Setting(50, "defaults"), timeouts.Setting(40, "defaults")
    )
    monkeypatch.setenv("ARENA_STALL_TIMEOUT", "20")
    assert timeouts.for_call("openai/x", None).stall == timeouts.Setting(20, "env")
    timeouts.register("openai/x", "http://h/v1", "judge.j", stall_timeout=5)
    timeouts.register("openai/y", "http://h/v1/", "participant.p", stall_timeout=9)  # the same server: the longer
    assert timeouts.for_call("openai/x", "http://h/v1").stall == timeouts.Setting(9, "participant.p")
    assert timeouts.for_call("openai/x", "http://h/v1").total == timeouts.Setting(50, "defaults")
    timeouts.clear()
    monkeypatch.delenv("ARENA_STALL_TIMEOUT")
    assert timeouts.for_call("openai/x", None).stall.seconds == timeouts.STALL_S < 494 / 4


def invoke(tmp_path: Path, *args: str, env: dict | None = None):
    return CliRunner().invoke(cli, ["--db", str(tmp_path / "r.db"), *args], env=env)


def test_a_debate_against_a_stalling_server_is_void_saying_which_timeout_and_how_to_raise_it(tmp_path, server):
    fake = server("stall", stall_s=1.0)
    (tmp_path / "arena.toml").write_text(
        f'[participant.slow]\nmodel = "openai/fake"\napi_base = "{fake.url}"\nstall_timeout = 0.2\n'
    )
    result = invoke(tmp_path, "debate", "--pro", "slow", "--con", "sim/b", "--judge", "sim/j", "--json")
    assert result.exit_code == 1 and "internal error" not in result.output
    with sqlite3.connect(tmp_path / "r.db") as conn:
        status, error = conn.execute("SELECT status, error FROM debate").fetchone()
    assert status == "void"
    assert "stall_timeout" in error and "[participant.slow] of arena.toml" in error and "0.2 s" in error
    assert len(fake.requests) == 2


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[participant.x]\nmodel = "sim/a"\ntimeout = 0\n', "arena.toml:3: x: timeout"),
        ('[participant.x]\nmodel = "sim/a"\nstall_timeout = nan\n', "stall_timeout"),
        ('[participant.x]\nmodel = "sim/a"\nstall_timeout = "soon"\n', "stall_timeout"),
        ('[defaults]\ntimeout = "abc"\n', "arena.toml:2: [defaults] timeout: expected seconds"),
        ("[defaults]\nstall_timeout = inf\n", "[defaults] stall_timeout: expected seconds"),
        ("[defaults]\nstall_timeout = 1e9\n", "at most 86400"),
    ],
)
def test_a_bad_timeout_in_arena_toml_is_a_usage_error(tmp_path, toml, expected):
    (tmp_path / "arena.toml").write_text(toml)
    pro = "x" if "participant" in toml else "sim/a"
    result = invoke(tmp_path, "debate", "--pro", pro, "--con", "sim/b", "--judge", "sim/j")
    assert result.exit_code == 2, result.output
    assert expected in result.output


@pytest.mark.parametrize("value", ["abc", "0", "-5", "nan", "inf"])
def test_a_bad_timeout_in_the_environment_is_a_usage_error(tmp_path, value):
    result = invoke(
        tmp_path, "debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j", env={"ARENA_STALL_TIMEOUT": value}
    )
    assert result.exit_code == 2 and "ARENA_STALL_TIMEOUT: expected seconds" in result.output, result.output


def test_timeouts_in_arena_toml_reach_the_calls(tmp_path):
    from arena.config import load_config
    from arena.play import register_limits

    (tmp_path / "arena.toml").write_text(
        "[defaults]\ntimeout = 90\nstall_timeout = 30\n"
        '[judge.j]\nmodel = "openai/j"\napi_base = "http://127.0.0.1:9/v1"\nstall_timeout = 5\n'
    )
    register_limits(load_config())
    assert timeouts.for_call("openai/j", "http://127.0.0.1:9/v1").stall == timeouts.Setting(5, "judge.j")
    assert timeouts.for_call("openai/other", None).total == timeouts.Setting(90, "defaults")


# ============================================================== class 7: misleading messages


@pytest.mark.parametrize("streamed", [True, False])
async def test_a_reply_that_is_not_utf8_says_so_and_is_not_retried(server, streamed):
    fake = server("latin1")
    with pytest.raises(BadOutputError) as raised:
        await Gateway(backoff_base_s=0).complete(request(fake.url), pieces()[1] if streamed else None)
    message = str(raised.value)
    assert "not UTF-8" in message and "byte 0xe9" in message
    assert "could not reach" not in message and "HTTP 500" not in message
    assert len(fake.requests) == 1


@pytest.mark.parametrize("streamed", [True, False])
async def test_an_api_base_with_user_and_password_is_not_retried_and_never_printed(server, streamed):
    fake = server("ok")
    api_base = fake.url.replace("http://", f"http://user:{PASSWORD}@")
    with pytest.raises(AuthError) as raised:
        await Gateway(backoff_base_s=0).complete(request(api_base), pieces()[1] if streamed else None)
    message = str(raised.value)
    assert "carries credentials (user:password@)" in message and "remove them from api_base" in message
    assert PASSWORD not in message and "HTTP 500" not in message and "try again" not in message
    assert raised.value.retries == 0


def test_a_debate_with_credentials_in_api_base_keeps_them_out_of_every_output(tmp_path, server):
    fake = server("ok")
    api_base = fake.url.replace("http://", f"http://user:{PASSWORD}@")
    (tmp_path / "arena.toml").write_text(f'[participant.p]\nmodel = "openai/fake"\napi_base = "{api_base}"\n')
    result = invoke(tmp_path, "debate", "--pro", "p", "--con", "sim/b", "--judge", "sim/j")
    assert result.exit_code == 1 and "carries credentials" in result.output
    assert PASSWORD not in result.output and "try again later" not in result.output
    assert PASSWORD.encode() not in (tmp_path / "r.db").read_bytes()


def test_a_show_id_of_100000_characters_says_what_an_id_looks_like(tmp_path):
    result = invoke(tmp_path, "show", "a" * 100_000)
    assert result.exit_code == 2
    assert "LIKE or GLOB" not in result.output and "pattern too complex" not in result.output
    assert "(100,000 characters)" in result.output and "like 7dcaa20be41c" in result.output
    assert len(result.output) < 400

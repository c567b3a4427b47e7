"""The embedded model's speed, measured on this machine (issue 23): a short timing that
keeps the faster thread count, cached by model file, thread counts, llama-cpp version and
how busy the machine is; the dry run's time comes from it and says so."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from arena.llm import local_speed as ls


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class FakeLlama:
    """Decoding costs `cost[threads]` seconds a token on a clock the test owns; past a
    deadline a decode aborts, as llama.cpp's abort callback makes it."""

    def __init__(self, clock: Clock, cost: dict[int, float]) -> None:
        self.clock, self.cost = clock, cost
        self.threads, self.n_tokens, self.deadline = 0, 0, None
        self._ctx = self
        self.scores = np.zeros((256, 8))
        self.thread_log: list[int] = []

    def set_n_threads(self, threads: int, batch: int) -> None:
        self.threads = threads
        self.thread_log.append(threads)

    def tokenize(self, text: bytes, add_bos: bool, special: bool) -> list[int]:
        return list(range(len(text.split())))

    def reset(self) -> None:
        self.n_tokens = 0

    def eval(self, tokens: list[int]) -> None:
        for _ in tokens:
            self.clock.now += self.cost[self.threads]
            if self.deadline is not None and self.clock.now > self.deadline:
                raise RuntimeError("llama_decode returned 2")
            self.n_tokens += 1


@pytest.fixture
def fake(monkeypatch, tmp_path):
    clock = Clock()
    monkeypatch.setattr(ls, "_clock", clock)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ARENA_LOCAL_THREADS", raising=False)

    def make(cost: dict[int, float]) -> FakeLlama:
        llama = FakeLlama(clock, cost)

        @contextlib.contextmanager
        def deadline(model, started, limit):  # type: ignore[no-untyped-def]
            model.deadline = None if limit is None else started + limit
            try:
                yield
            finally:
                model.deadline = None

        monkeypatch.setattr(ls, "_deadline", deadline)
        return llama

    return make


def test_a_busy_machine_keeps_one_thread_and_leaves_the_slow_count_early(fake, tmp_path):
    llama = fake({1: 0.02, 2: 0.5})  # two threads 25x slower: another process holds a core
    speed = ls.time_model(llama, tmp_path / "m.gguf", (1, 2))
    assert speed.threads == 1 and llama.threads == 1
    assert speed.prompt_tps == pytest.approx(50) and speed.output_tps == pytest.approx(50)
    one, two = speed.trials
    assert not one.abandoned and two.abandoned
    # abandoned at twice the best trial's time (plus the token under way), not after 64 tokens at 0.5 s
    assert two.seconds <= 2 * one.seconds + 0.5
    assert "50 prompt and 50.0 output tokens/s on 1 thread" in speed.describe()
    assert "tried 1 thread, 2 threads abandoned" in speed.describe()


def test_an_idle_machine_keeps_every_core(fake, tmp_path):
    llama = fake({1: 0.02, 2: 0.012})
    speed = ls.time_model(llama, tmp_path / "m.gguf", (1, 2))
    assert speed.threads == 2 and llama.threads == 2
    assert not any(t.abandoned for t in speed.trials)
    assert speed.seconds(1000, 100) == pytest.approx(1000 / speed.prompt_tps + 100 / speed.output_tps)


def test_arena_local_threads_is_the_only_count_tried(fake, monkeypatch, tmp_path):
    monkeypatch.setattr(ls.os, "cpu_count", lambda: 4)
    assert ls.thread_candidates() == (1, 4)
    monkeypatch.setenv("ARENA_LOCAL_THREADS", "2")
    assert ls.thread_candidates() == (2,)
    llama = fake({1: 0.01, 2: 0.5})
    speed = ls.time_model(llama, tmp_path / "m.gguf", ls.thread_candidates())
    assert speed.threads == 2 and [t.threads for t in speed.trials] == [2]


def test_the_measurement_is_cached_and_keyed_by_what_changes_it(fake, monkeypatch, tmp_path):
    model = tmp_path / "m.gguf"
    model.write_bytes(b"weights")
    key = ls.cache_key(model, (1, 2), 1)
    assert ls.cached(key) is None
    speed = ls.time_and_remember(fake({1: 0.02, 2: 0.01}), model)
    stored = ls.cache_path()
    assert stored.parent == tmp_path / "cache" / "arena"  # the user's cache directory (XDG)
    again = ls.cached(ls.cache_key(model, ls.thread_candidates(), ls.busy_cores()))
    assert again == speed
    # a different thread setting, llama-cpp version, model file or load is another key
    assert ls.cache_key(model, (1,), 1) != key
    assert ls.cache_key(model, (1, 2), 2) != key
    monkeypatch.setattr(ls, "llama_cpp_version", lambda: "9.9.9")
    assert ls.cache_key(model, (1, 2), 1) != key
    monkeypatch.undo()
    model.write_bytes(b"other weights")
    assert ls.cache_key(model, (1, 2), 1) != key
    # a damaged cache only means timing again
    stored.write_text("{not json")
    assert ls.cached(key) is None


def test_the_model_loads_at_the_measured_thread_count(fake, tmp_path):
    from arena.llm.local import LocalModel

    model_file = tmp_path / "m.gguf"
    model_file.write_bytes(b"weights")
    engine = LocalModel(model_file)
    llama = fake({1: 0.02, 2: 0.5})
    speed = engine._pick_threads(llama)  # what LocalModel.load does with a fresh Llama
    assert engine.n_threads == 1 and llama.threads == 1 and speed.threads == 1
    # next time (another process): read from the cache, not timed again
    second = LocalModel(model_file)
    other = fake({1: 0.02, 2: 0.5})
    assert second._pick_threads(other) == speed
    assert other.thread_log == [1] and other.clock.now == llama.clock.now


def test_busy_cores_rounds_the_load_to_whole_cores(monkeypatch):
    monkeypatch.setattr(ls.os, "cpu_count", lambda: 2)
    assert [ls.busy_cores(x) for x in (0.2, 0.6, 1.4, 1.6, 9.0)] == [0, 1, 1, 2, 2]


def test_the_dry_run_time_comes_from_the_measurement_and_says_so(db_path, monkeypatch, local_speed_known):
    from arena.cli import cli

    asked: list[str] = []
    monkeypatch.setattr(ls, "speed_if_known", lambda model="local/smollm2": None)  # never timed here
    monkeypatch.setattr(ls, "measured_speed", lambda model="local/smollm2": asked.append(model) or local_speed_known)
    args = ["tournament", "run", "--players", "sim/a,sim/b", "--judge", "local/smollm2", "--sample", "1", "--dry-run"]
    result = CliRunner().invoke(cli, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    local = next(m for m in doc["estimate"]["models"] if m["model"] == "local/smollm2")
    assert doc["time"]["seconds"] == pytest.approx(local["tokens_in"] / 100 + local["tokens_out"] / 10, abs=0.1)
    assert doc["time"]["measured"]["local/smollm2"]["threads"] == 1
    assert asked == ["local/smollm2"]
    assert "timing local/smollm2 on this machine (once, a few seconds" in result.stderr
    text = " ".join(CliRunner().invoke(cli, args, catch_exceptions=False).stdout.split())  # unwrapped
    assert "no debate played" in text and "no model called" not in text
    assert "an estimate from this machine's measured speed: local/smollm2 at 100 prompt and 10.0 output" in text
    assert "on 1 thread, timed" in text and "at load 3.0" in text


@pytest.mark.slow
def test_the_real_model_is_timed_once_in_seconds(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    speed = ls.measured_speed("local/smollm2")
    assert speed.prompt_tps > 0 and speed.output_tps > 0 and speed.threads in ls.thread_candidates()
    assert [t.threads for t in speed.trials] == list(ls.thread_candidates())
    assert Path(ls.cache_path()).is_file()

    def no_timing(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("timed again")

    monkeypatch.setattr(ls, "time_model", no_timing)
    if ls.speed_if_known("local/smollm2") is not None:  # the load may have moved a whole core since
        assert ls.measured_speed("local/smollm2") == ls.speed_if_known("local/smollm2")


def test_a_model_that_cannot_be_timed_leaves_its_speed_unknown(monkeypatch):
    from arena.llm.local import LocalModelError
    from arena.tournament.duration import measure_local, plan_duration
    from arena.tournament.estimate import Estimate, ModelEstimate

    def missing(model="local/smollm2"):  # type: ignore[no-untyped-def]
        raise LocalModelError("the model file for local/smollm2 was not found")

    monkeypatch.setattr(ls, "speed_if_known", missing)
    said: list[str] = []
    est = Estimate(debates=1, models={"local/smollm2": ModelEstimate("local/smollm2", 3, 900, 90)})
    duration = plan_duration(est, 1, measure_local(est, said.append))
    assert duration.unknown == ("local/smollm2",) and not duration.measured
    assert "speed unknown until they run" in duration.line()
    assert said and "could not time local/smollm2" in said[0]

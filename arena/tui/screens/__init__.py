"""One module per screen of the arena app."""

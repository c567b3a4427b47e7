"""The Textual arena: the only package that imports textual."""

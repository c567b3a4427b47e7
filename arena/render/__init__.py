"""Rich and text renderers for the CLI: live debate events, Markdown transcripts, JSON.

These turn the engine's events and stored records into terminal output or documents;
they never touch the store or textual.
"""

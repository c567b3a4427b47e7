"""The store: SQLModel tables, the engine factory, migrations and every SQL query.

`Store` (store.py) writes a finished debate and its rating updates in one transaction;
the read side is a set of named query functions (queries.py, bets_query.py,
listings.py, imports.py). No module outside this package writes SQL.
"""

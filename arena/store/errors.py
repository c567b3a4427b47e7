"""The database's failures under the store's own names, so that callers above the store
(the CLI's error path, the terminal app's start) catch them without importing SQLAlchemy."""

from __future__ import annotations

from sqlalchemy.exc import ArgumentError as DatabaseUrlError  # not a URL, or no such dialect/driver
from sqlalchemy.exc import DatabaseError as DatabaseRejected  # the database answered with an error
from sqlalchemy.exc import OperationalError as DatabaseUnavailable  # a DatabaseRejected: cannot be used now
from sqlalchemy.exc import SQLAlchemyError as DatabaseError  # any of the above, and every other failure

__all__ = ["DatabaseError", "DatabaseRejected", "DatabaseUnavailable", "DatabaseUrlError"]

"""The database's failures under the store's own names, so that callers above the store
(the CLI's error path, the terminal app's start) catch them without importing SQLAlchemy."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError as DatabaseUnavailable
from sqlalchemy.exc import SQLAlchemyError as DatabaseError

__all__ = ["DatabaseError", "DatabaseUnavailable"]

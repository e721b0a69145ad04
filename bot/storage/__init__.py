"""Storage: the schema and every query live in this package and nowhere else."""

from bot.storage.schema import metadata
from bot.storage.store import Storage

__all__ = ["Storage", "metadata"]

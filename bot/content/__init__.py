"""Content as data: lessons, FAQ and weekly messages under lessons/."""

from bot.content.loader import Catalog, ContentError, Problem, load_catalog

__all__ = ["Catalog", "ContentError", "Problem", "load_catalog"]

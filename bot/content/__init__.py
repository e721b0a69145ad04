"""Content as data: lessons, FAQ and weekly messages under lessons/."""

from bot.content.loader import Catalog, load_catalog
from bot.content.problems import ContentError, Problem

__all__ = ["Catalog", "ContentError", "Problem", "load_catalog"]

"""hocvuso: a chat assistant for the "Bình dân học vụ số" movement.

The public surface: the engine and its messages, the settings, and the composition root.
Channels, the CLI and the tests build on these; everything else is an implementation detail.
Names are imported on first use, so `hocvuso --help` does not load the whole application.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.app import App, build_app
    from bot.config import ConfigError, Settings, load_settings
    from bot.core.engine import Engine
    from bot.core.messages import Choice, Inbound, Kind, Reply

_WHERE = {
    "App": "bot.app",
    "build_app": "bot.app",
    "ConfigError": "bot.config",
    "Settings": "bot.config",
    "load_settings": "bot.config",
    "Engine": "bot.core.engine",
    "Choice": "bot.core.messages",
    "Inbound": "bot.core.messages",
    "Kind": "bot.core.messages",
    "Reply": "bot.core.messages",
}

__all__ = [
    "App",
    "Choice",
    "ConfigError",
    "Engine",
    "Inbound",
    "Kind",
    "Reply",
    "Settings",
    "build_app",
    "load_settings",
]


def __getattr__(name: str) -> Any:
    """PEP 562: the public names, imported when first asked for."""
    if name not in _WHERE:
        raise AttributeError(f"module 'bot' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value

"""hocvuso: a chat assistant for the "Bình dân học vụ số" movement.

The public surface: the engine and its messages, the settings, and the composition root.
Channels, the CLI and the tests build on these; everything else is an implementation detail.
"""

from bot.app import App, build_app
from bot.config import ConfigError, Settings, load_settings
from bot.core.engine import Engine
from bot.core.messages import Choice, Inbound, Kind, Reply

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

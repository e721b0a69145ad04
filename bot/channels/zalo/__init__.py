"""Zalo Bot Platform: our own small client on httpx, and the channel on top of it."""

from bot.channels.zalo.channel import ZaloChannel
from bot.channels.zalo.client import ZaloClient, ZaloError

__all__ = ["ZaloChannel", "ZaloClient", "ZaloError"]

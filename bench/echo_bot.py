"""The framework's floor for bench/webhook.py: a bare python-telegram-bot echo bot behind
the same kind of webhook server (Starlette on uvicorn), no database, no engine."""

from __future__ import annotations

import asyncio
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None and update.message is not None
    await context.bot.send_message(update.effective_chat.id, update.message.text or "")


async def main(base_url: str, token: str, port: int) -> None:
    application = ApplicationBuilder().token(token).base_url(f"{base_url}/bot").build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    await application.initialize()
    await application.start()

    async def webhook(request: Request) -> JSONResponse:
        update = Update.de_json(await request.json(), application.bot)
        await application.process_update(update)
        return JSONResponse({"ok": True})

    web = Starlette(routes=[Route("/telegram/webhook", webhook, methods=["POST"])])
    config = uvicorn.Config(web, host="127.0.0.1", port=port, log_config=None, lifespan="off")
    await uvicorn.Server(config).serve()
    await application.stop()
    await application.shutdown()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))

"""Webhook mode: a small tornado server that Telegram POSTs updates to.

Every POST must carry the secret token given to setWebhook (403 otherwise, compared in
constant time). The 200 is sent only after `submit` has persisted the update, so Telegram
re-sends anything we did not durably take; an update that cannot be read or stored is
quarantined as a dead letter and answered 200 too (resending it would fail the same way).
GET /healthz answers 200 while the store works; GET /metrics gives Prometheus text.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import socket
from typing import Any

from telegram import Bot
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.channel import Intake
from bot.telegram.poller import ALLOWED_UPDATES, take_update
from bot.telegram.status import Exposition, Health, status_routes

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class _UpdateHandler(RequestHandler):
    def initialize(self, server: WebhookServer) -> None:
        self.server = server

    def check_xsrf_cookie(self) -> None:  # Telegram posts no cookies; the secret guards us
        return None

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.server.secret.encode()):
            logger.warning("webhook request without the right secret token refused")
            self._reply(403, {"ok": False})
            return
        try:
            data = json.loads(self.request.body)
            if not isinstance(data, dict):
                raise ValueError("not an object")
        except Exception as exc:
            logger.warning("webhook body is not JSON object (%s)", type(exc).__name__)
            self._reply(400, {"ok": False})
            return
        server = self.server
        try:
            await take_update(data, server.bot, server.processor, server.bot_username)
        except Exception as exc:  # not persisted: make Telegram send it again later
            logger.error("update %s not accepted (%s)", data.get("update_id"), type(exc).__name__)
            self._reply(503, {"ok": False})
            return
        self._reply(200, {"ok": True})

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))


class WebhookServer:
    """The receiving side of the Telegram channel in webhook mode (a `bot.channel.Receiver`
    through `run`; `start`, `register` and `stop` are its steps)."""

    def __init__(
        self,
        bot: Bot,
        processor: Intake,
        bot_username: str,
        *,
        secret: str,
        path: str,
        health: Health,
        metrics: Exposition | None = None,
        listen: str = "127.0.0.1",
        port: int = 0,
        url: str | None = None,
    ) -> None:
        """`listen`/`port`: where `run` serves; `url`: the public address `run` registers
        with Telegram (None: registered elsewhere)."""
        if not secret:
            raise ValueError("a webhook needs a secret token")
        self.bot = bot
        self.processor = processor
        self.bot_username = bot_username
        self.secret = secret
        self.path = path
        self.health = health
        self.metrics = metrics
        self.listen = listen
        self.wanted_port = port
        self.url = url
        self.port = 0
        self._server: HTTPServer | None = None

    def app(self) -> Application:
        args = {"server": self}
        return Application(
            [(self.path, _UpdateHandler, args), *status_routes(self.health, self.metrics)],
            log_function=lambda handler: None,
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Serve, tell Telegram where (with `url`), and take updates until `stop` is set."""
        await self.start(self.listen, self.wanted_port)
        try:
            if self.url is not None:
                await self.register(self.url)
            await stop.wait()
        finally:
            await self.stop()

    async def start(self, listen: str, port: int) -> None:
        """Listen (port 0 picks a free one, kept in .port)."""
        sockets = bind_sockets(port, listen, family=socket.AF_UNSPEC)
        self.port = sockets[0].getsockname()[1]
        self._server = HTTPServer(self.app(), max_body_size=1 << 20)
        self._server.add_sockets(sockets)
        logger.info("webhook server listening on %s:%s%s", listen, self.port, self.path)

    async def register(self, url: str) -> None:
        """Tell Telegram where to POST, with the secret it must send back."""
        await self.bot.set_webhook(
            url, secret_token=self.secret, allowed_updates=list(ALLOWED_UPDATES)
        )

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None

"""GET /healthz and GET /metrics: on the webhook server, or on a side port when polling."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Awaitable, Callable
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.metrics import CONTENT_TYPE

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
Health = Callable[[], Awaitable[bool]]
Exposition = Callable[[], Awaitable[bytes]]


class HealthHandler(RequestHandler):
    def initialize(self, health: Health) -> None:
        self.health = health

    async def get(self) -> None:
        try:
            ok = await self.health()
        except Exception as exc:
            logger.warning("health check failed: %r", exc)
            ok = False
        self.set_status(200 if ok else 503)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"ok": ok}))


class MetricsHandler(RequestHandler):
    def initialize(self, render: Exposition) -> None:
        self.exposition = render

    async def get(self) -> None:
        try:
            body = await self.exposition()
        except Exception as exc:  # e.g. the database is down: say so, don't crash
            logger.warning("metrics unavailable: %r", exc)
            self.set_status(503)
            self.finish("metrics unavailable\n")
            return
        self.set_header("Content-Type", CONTENT_TYPE)
        self.finish(body)


def status_routes(health: Health, metrics: Exposition | None) -> list[Any]:
    routes: list[Any] = [(HEALTH_PATH, HealthHandler, {"health": health})]
    if metrics is not None:
        routes.append((METRICS_PATH, MetricsHandler, {"render": metrics}))
    return routes


class StatusServer:
    """The side port for polling mode: nothing but health and metrics."""

    def __init__(self, health: Health, metrics: Exposition | None) -> None:
        self.health = health
        self.metrics = metrics
        self.port = 0
        self._server: HTTPServer | None = None

    async def start(self, listen: str, port: int) -> None:
        sockets = bind_sockets(port, listen, family=socket.AF_UNSPEC)
        self.port = sockets[0].getsockname()[1]
        app = Application(status_routes(self.health, self.metrics), log_function=lambda h: None)
        self._server = HTTPServer(app)
        self._server.add_sockets(sockets)
        logger.info("health and metrics on %s:%s", listen, self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None

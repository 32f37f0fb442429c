"""A Bot API server of our own for end-to-end tests, on 127.0.0.1.

The real bot reaches it over HTTP through python-telegram-bot's `base_url`, exactly as it
would reach Telegram. It keeps per-chat messages, inline keyboards and callback queries,
serves getUpdates long polling with offsets (or pushes to a webhook), and refuses what
Telegram refuses: bad HTML, text over 4,096 characters, callback data over 64 bytes, edits
that change nothing, a callback query answered twice. Tests play the people's side with
`send_text`, `press` and friends, and inject faults per method: the next n calls
(`fail`, `stall`), an answer that comes late though the call took effect (`answer_late`),
every call for a while (`fail_for`: 5xx, 429, 409, 401, or a 200 whose body
is an HTML page), no server at all (`go_offline`), updates no real client would send
(`inject_update`), and a getFile that lies about a document's size (`send_document`).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from typing import Any

import httpx
from tornado.httpserver import HTTPServer
from tornado.iostream import StreamClosedError
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

import bot.telegram  # noqa: F401  (opts python-telegram-bot into timedelta periods, no warnings)

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghij12"
BOT_ID = 123456789
BOT_USERNAME = "SoreBackTestBot"
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64

Json = dict[str, Any]

_ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^<>]*)?)>")
_ENTITY_RE = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_JSON_PARAMS = {
    "reply_markup",
    "commands",
    "allowed_updates",
    "reply_parameters",
    "link_preview_options",
    "entities",
    "scope",
}
_INT_PARAMS = {"chat_id", "message_id", "offset", "limit", "timeout", "cache_time"}
_BOOL_PARAMS = {"show_alert", "drop_pending_updates", "disable_notification"}
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
BLOCKED = "Forbidden: bot was blocked by the user"


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> Json:
        out: Json = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            out["parameters"] = {"retry_after": self.retry_after}
        return out


def _fault(status: int, retry_after: int) -> Fault:
    description = _DESCRIPTIONS.get(status, "Internal Server Error")
    description = description.format(retry_after=retry_after)
    return Fault(status, description, retry_after if status == 429 else None)


def bad_request(what: str) -> ApiError:
    return ApiError(400, f"Bad Request: {what}")


def parse_html(text: str) -> str:
    """Telegram's HTML parse mode, strictly: the plain text, or ApiError for what it refuses."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            match = _TAG_RE.match(text, i)
            if match is None:
                raise bad_request(f"can't parse entities: Unexpected < at byte offset {i}")
            closing, name = match.group(1) == "/", match.group(2).lower()
            if name not in _ALLOWED_TAGS:
                raise bad_request(
                    f'can\'t parse entities: Unsupported start tag "{name}" at byte offset {i}'
                )
            if closing:
                if not stack or stack[-1] != name:
                    raise bad_request(
                        f"can't parse entities: Unmatched end tag at byte offset {i}, "
                        f'expected "</{stack[-1] if stack else ""}>", found "</{name}>"'
                    )
                stack.pop()
            else:
                stack.append(name)
            i = match.end()
        elif char == "&":
            match = _ENTITY_RE.match(text, i)
            if match is None:
                raise bad_request(
                    f"can't parse entities: Unsupported HTML entity at byte offset {i}"
                )
            out.append(unescape(match.group(0)))
            i = match.end()
        elif char == ">":
            raise bad_request(f"can't parse entities: Unexpected > at byte offset {i}")
        else:
            out.append(char)
            i += 1
    if stack:
        raise bad_request(
            f"can't parse entities: Can't find end tag corresponding to start tag \"{stack[-1]}\""
        )
    return "".join(out)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def check_markup(markup: Any) -> Json | None:
    if markup in (None, "", {}):
        return None
    if not isinstance(markup, dict) or not isinstance(markup.get("inline_keyboard"), list):
        raise bad_request("can't parse reply keyboard markup JSON object")
    for row in markup["inline_keyboard"]:
        if not isinstance(row, list):
            raise bad_request('can\'t parse inline keyboard button: field "text" must be a string')
        for button in row:
            if not isinstance(button, dict) or not str(button.get("text", "")).strip():
                raise bad_request("BUTTON_TEXT_INVALID")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")
    if not markup["inline_keyboard"]:
        return None
    return {"inline_keyboard": markup["inline_keyboard"]}


def buttons_of(message: Json) -> list[tuple[str, str]]:
    """(label, callback data) of a message's current keyboard, row by row."""
    markup = message.get("reply_markup") or {}
    return [
        (b["text"], b.get("callback_data", ""))
        for row in markup.get("inline_keyboard", [])
        for b in row
    ]


@dataclass
class Fault:
    status: int
    description: str
    retry_after: int | None = None
    delay: float = 0.0
    """Seconds to hang before failing: longer than the client's timeout makes a time-out."""
    junk: bool = False
    """Answer 200 with an HTML page instead of the Bot API's JSON (a proxy's error page)."""


class _Changes:
    """Wakes everyone waiting for the emulator's state to change. No lock: with an
    asyncio.Condition every call queued for its lock twice, one hand-over per loop turn, and
    under a burst (two bots, a hundred people) answers took up to 19 s, past the bots'
    timeouts, though every message had long been taken."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def wait(self, seconds: float) -> None:
        """Until the next change, or `seconds`."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), max(seconds, 0.0))

    async def wait_for(self, predicate: Callable[[], bool], within: float) -> None:
        """Until `predicate()` holds (checked after every change); TimeoutError after
        `within` seconds."""

        async def until() -> None:
            while not predicate():
                await self._event.wait()

        await asyncio.wait_for(until(), within)


class JunkAnswer(Exception):
    """Raised by dispatch to make the handler answer 200 with a body that is not JSON."""


JUNK_BODY = "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>"
_DESCRIPTIONS = {
    429: "Too Many Requests: retry after {retry_after}",
    403: BLOCKED,
    409: "Conflict: terminated by other getUpdates request",
    401: "Unauthorized",
    400: "Bad Request: chat not found",
    502: "Bad Gateway",
}


@dataclass
class Call:
    method: str
    params: Json


# -- Telegram's flood limits (optional) --------------------------------------------------------
@dataclass
class FloodLimits:
    """Refuse with 429 what Telegram would: more than `per_second` calls to chats in any
    `window` seconds, or more than `per_group` to one group in any `group_window` seconds.

    Sliding windows over accepted calls (the strictest reading of "about 30 messages a
    second"); a refused call does not count. `accepted` is the emulator's own clock of what
    got through: (time, method, chat_id)."""

    per_second: int = 30
    per_group: int = 20
    window: float = 1.0
    group_window: float = 60.0
    accepted: list[tuple[float, str, int]] = field(default_factory=list)
    refused: list[tuple[float, str, int]] = field(default_factory=list)

    def admit(self, method: str, params: Json) -> None:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            return
        now = time.monotonic()
        recent = [t for t, _, _ in self.accepted if t > now - self.window]
        wait = recent[0] + self.window - now if len(recent) >= self.per_second else 0.0
        if chat_id < 0:
            since = now - self.group_window
            group = [t for t, _, c in self.accepted if c == chat_id and t > since]
            if len(group) >= self.per_group:
                wait = max(wait, group[0] + self.group_window - now)
        if wait > 0:
            self.refused.append((now, method, chat_id))
            seconds = max(1, math.ceil(wait))
            raise ApiError(429, f"Too Many Requests: retry after {seconds}", seconds)
        self.accepted.append((now, method, chat_id))


class _Handler(RequestHandler):
    def initialize(self, emulator: BotApiEmulator) -> None:
        self.emulator = emulator

    def check_xsrf_cookie(self) -> None:
        return None

    async def get(self, token: str, method: str) -> None:
        await self._serve(token, method)

    async def post(self, token: str, method: str) -> None:
        await self._serve(token, method)

    async def _serve(self, token: str, method: str) -> None:
        content_type = "application/json"
        try:
            result = await self.emulator.dispatch(token, method, self._params())
            status, text = 200, json.dumps({"ok": True, "result": result})
        except ApiError as exc:
            status, text = exc.status, json.dumps(exc.body())
        except JunkAnswer:
            status, text, content_type = 200, JUNK_BODY, "text/html"
        with contextlib.suppress(Exception):  # the client may have gone (killed mid-poll)
            self.set_status(status)
            self.set_header("Content-Type", content_type)
            self.finish(text)

    def _params(self) -> Json:
        raw: dict[str, Any] = {}
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.startswith("application/json") and self.request.body:
            raw.update(json.loads(self.request.body))
        else:
            for key, values in self.request.arguments.items():
                raw[key] = values[-1].decode("utf-8")
        return {key: _coerce(key, value) for key, value in raw.items()}


class _FileHandler(RequestHandler):
    """`GET /file/bot<token>/<file_path>`: a document's bytes, as getFile pointed to."""

    def initialize(self, emulator: BotApiEmulator) -> None:
        self.emulator = emulator

    async def get(self, token: str, path: str) -> None:
        content = self.emulator.download(token, path)
        if content is None:
            self.set_status(404)
            self.finish("Not Found")
            return
        self.set_header("Content-Type", "application/octet-stream")
        file_id = path.rpartition("/")[2]
        sent = 0
        with contextlib.suppress(StreamClosedError):  # the bot hung up (its byte cap)
            for start in range(0, len(content), 65536):
                self.write(content[start : start + 65536])
                await self.flush()
                sent = start + len(content[start : start + 65536])
                self.emulator.downloaded[file_id] = sent
            self.finish()


def _coerce(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if key in _JSON_PARAMS:
        return json.loads(value) if value else None
    if key in _INT_PARAMS:
        return int(value) if re.fullmatch(r"-?\d+", value) else value
    if key in _BOOL_PARAMS:
        return value.lower() in ("true", "1")
    return value


class BotApiEmulator:
    def __init__(self, token: str = TOKEN, username: str = BOT_USERNAME) -> None:
        self.token = token
        self.username = username
        self.port = 0
        self.calls: list[Call] = []
        self.chats: dict[int, list[Json]] = {}
        self.chat_info: dict[int, Json] = {}
        self.blocked: set[int] = set()
        self.menus: dict[str, list[Json]] = {}
        """setMyCommands per scope: "default", "all_private_chats", "chat:<id>", ..."""
        self.actions: list[tuple[int, str]] = []
        self.files: dict[str, bytes] = {}
        """file_id -> content of documents people sent (served by getFile + /file/)."""
        self.answers: dict[str, str | None] = {}
        """callback query id -> the notice it was answered with."""
        self.webhook: Json | None = None
        self.webhook_pushes = 0
        self.limits: FloodLimits | None = None
        """Set to enforce Telegram's flood limits (off by default)."""
        self._queries: dict[str, Json] = {}
        self._updates: list[Json] = []
        self._next_update = 1000
        self._next_message: dict[int, itertools.count[int]] = {}
        self._query_ids = itertools.count(5000)
        self._faults: dict[str, deque[Fault]] = {}
        self._late: dict[str, deque[float]] = {}
        """method -> delays of the next answers (see answer_late)."""
        self._windows: dict[str, tuple[float, Fault]] = {}
        """method (or "*") -> (time.monotonic() until which it fails, how)."""
        self.file_sizes: dict[str, int | None] = {}
        """file_id -> the size getFile announces when it differs from the truth (None: none)."""
        self.downloaded: dict[str, int] = {}
        """file_id -> bytes actually sent to the bot before it hung up."""
        self._poll_generation = 0
        self._changed = _Changes()
        self._server: HTTPServer | None = None
        self._pusher: asyncio.Task[None] | None = None

    # -- lifecycle ----------------------------------------------------------------------------
    async def start(self) -> None:
        sockets = bind_sockets(self.port, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        app = Application(
            [
                (r"/bot([^/]+)/([A-Za-z]+)", _Handler, {"emulator": self}),
                (r"/file/bot([^/]+)/(.+)", _FileHandler, {"emulator": self}),
            ],
            log_function=lambda handler: None,
        )
        self._server = HTTPServer(app)
        self._server.add_sockets(sockets)

    async def stop(self) -> None:
        if self._pusher is not None:
            self._pusher.cancel()
            await asyncio.gather(self._pusher, return_exceptions=True)
        self._poll_generation += 1
        self._notify()
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()

    @property
    def base_url(self) -> str:
        """For python-telegram-bot's Bot(base_url=...): it appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    # -- fault injection ----------------------------------------------------------------------
    def fail(
        self, method: str, times: int = 1, *, status: int = 429, retry_after: int = 1
    ) -> None:
        """The next `times` calls of `method` fail: 429 (flood), 500/502, 409, 401, 400 (chat
        not found) or 403 (blocked)."""
        fault = _fault(status, retry_after)
        self._faults.setdefault(method, deque()).extend([fault] * times)

    def fail_for(
        self, method: str, seconds: float, *, status: int = 500, retry_after: int = 1
    ) -> None:
        """Every call of `method` ("*": of any method) fails for the next `seconds`: with
        `status`, or with status=200 a 200 whose body is an HTML page, not JSON."""
        fault = Fault(200, "", junk=True) if status == 200 else _fault(status, retry_after)
        self._windows[method] = (time.monotonic() + seconds, fault)

    def window_open(self, method: str) -> bool:
        """Whether a fail_for window on `method` is still failing calls."""
        until = self._windows.get(method, (0.0, None))[0]
        return time.monotonic() < until

    async def go_offline(self) -> None:
        """Stop listening and drop open connections: the bot's calls are refused."""
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None

    async def go_online(self) -> None:
        """Listen again on the same port."""
        if self._server is None:
            await self.start()

    def inject_update(self, update: Json) -> int:
        """Queue any JSON as an update (a malformed one, say); returns its update_id."""
        update_id = self._next_update
        self._updates.append({"update_id": update_id, **update})
        self._next_update += 1
        self._notify()
        return update_id

    def stall(self, method: str, seconds: float, times: int = 1) -> None:
        """The next `times` calls of `method` hang for `seconds`, then fail without effect."""
        fault = Fault(504, "Gateway Timeout", delay=seconds)
        self._faults.setdefault(method, deque()).extend([fault] * times)

    def answer_late(self, method: str, seconds: float, times: int = 1) -> None:
        """The next `times` calls of `method` take effect at once but are answered only after
        `seconds`: a client that gives up sooner cannot tell whether Telegram took them."""
        self._late.setdefault(method, deque()).extend([seconds] * times)

    def block(self, user_id: int) -> None:
        self.blocked.add(user_id)

    # -- the people's side ----------------------------------------------------------------------
    def send_text(
        self, user_id: int, text: str, *, chat_id: int | None = None, reply_to: Json | None = None
    ) -> Json:
        extra: Json = {"text": text}
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0]) if text.strip() else 1
            extra["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if reply_to is not None:
            extra["reply_to_message"] = reply_to
        return self._user_message(user_id, chat_id, extra)

    def send_sticker(self, user_id: int, chat_id: int | None = None) -> Json:
        sticker = {
            **self._file("st"),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self._user_message(user_id, chat_id, {"sticker": sticker})

    def send_photo(self, user_id: int, caption: str | None = None) -> Json:
        photo = [{**self._file("ph"), "width": 90, "height": 90}]
        extra: Json = {"photo": photo}
        if caption is not None:
            extra["caption"] = caption
        return self._user_message(user_id, None, extra)

    def send_voice(self, user_id: int) -> Json:
        return self._user_message(user_id, None, {"voice": {**self._file("vo"), "duration": 3}})

    def send_video(self, user_id: int) -> Json:
        video = {**self._file("vi"), "width": 640, "height": 480, "duration": 5}
        return self._user_message(user_id, None, {"video": video})

    def send_document(
        self,
        user_id: int,
        file_name: str = "notes.pdf",
        content: bytes = b"%PDF-1.4\n",
        *,
        lie: bool = False,
        announced_size: int | None = None,
    ) -> Json:
        """The person sends a file; the bot can fetch `content` through getFile. With `lie`
        the message and getFile announce `announced_size` instead (None: no size at all)."""
        document = {**self._file("do"), "file_name": file_name}
        size = announced_size if lie else len(content)
        if size is not None:
            document["file_size"] = size
        if lie:
            self.file_sizes[document["file_id"]] = announced_size
        self.files[document["file_id"]] = content
        return self._user_message(user_id, None, {"document": document})

    def send_location(self, user_id: int) -> Json:
        location = {"latitude": -33.8837, "longitude": 151.2006}
        return self._user_message(user_id, None, {"location": location})

    def send_contact(self, user_id: int) -> Json:
        contact = {"phone_number": "+61000000000", "first_name": "Someone"}
        return self._user_message(user_id, None, {"contact": contact})

    def edit_text(self, message: Json, new_text: str) -> Json:
        """The person edits a message they sent."""
        edited = {**message, "text": new_text, "edit_date": int(time.time())}
        self._replace_message(edited)
        self._enqueue({"edited_message": edited})
        return edited

    def channel_post(self, chat_id: int, text: str) -> Json:
        chat = {"id": chat_id, "type": "channel", "title": "A channel"}
        self.chat_info[chat_id] = chat
        post = {
            "message_id": self._message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "sender_chat": chat,
            "text": text,
        }
        self._enqueue({"channel_post": post})
        return post

    def add_group(self, chat_id: int, title: str = "A group") -> None:
        self.chat_info[chat_id] = {"id": chat_id, "type": "group", "title": title}

    def press(self, user_id: int, message: Json, button: str) -> str:
        """Press a button (by label or callback data) on the message as it is now."""
        current = self.message(message["chat"]["id"], message["message_id"])
        for label, data in buttons_of(current):
            if button in (label, data):
                return self.press_data(user_id, current, data)
        raise AssertionError(f"no button {button!r} on message: {buttons_of(current)}")

    def press_data(self, user_id: int, message: Json, data: str) -> str:
        """Send a callback query with any data, as an old or forged button would."""
        query_id = str(next(self._query_ids))
        current = self.message(message["chat"]["id"], message["message_id"])
        query = {
            "id": query_id,
            "from": self._user(user_id),
            "message": _public(current),
            "chat_instance": f"ci{current['chat']['id']}",
            "data": data,
        }
        self._queries[query_id] = {"answered": False}
        self._enqueue({"callback_query": query})
        return query_id

    # -- what the bot did -----------------------------------------------------------------------
    def message(self, chat_id: int, message_id: int) -> Json:
        for msg in self.chats.get(chat_id, []):
            if msg["message_id"] == message_id:
                return msg
        raise KeyError((chat_id, message_id))

    def bot_messages(self, chat_id: int) -> list[Json]:
        return [m for m in self.chats.get(chat_id, []) if m["from"]["id"] == BOT_ID]

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    @property
    def pending_updates(self) -> int:
        return len(self._updates)

    def queued_updates(self) -> list[Json]:
        """Updates not yet acknowledged by the bot (for unit tests of conversion)."""
        return list(self._updates)

    async def wait_for_messages(self, chat_id: int, n: int, within: float = 15.0) -> list[Json]:
        """The bot's messages in a chat once there are at least n of them."""
        await self.wait_until(lambda: len(self.bot_messages(chat_id)) >= n, within)
        return self.bot_messages(chat_id)

    async def wait_for_answer(self, query_id: str, within: float = 15.0) -> str | None:
        await self.wait_until(lambda: query_id in self.answers, within)
        return self.answers[query_id]

    async def wait_until(self, predicate: Callable[[], bool], within: float = 15.0) -> None:
        await self._changed.wait_for(predicate, within)

    # -- the Bot API ----------------------------------------------------------------------------
    async def dispatch(self, token: str, method: str, params: Json) -> Any:
        if token != self.token:
            raise ApiError(401, "Unauthorized")
        self.calls.append(Call(method, params))
        self._notify()
        for key in (method, "*"):
            until, window = self._windows.get(key, (0.0, None))
            if window is not None and time.monotonic() < until:
                if window.junk:
                    raise JunkAnswer
                raise ApiError(window.status, window.description, window.retry_after)
        if self.limits is not None:
            self.limits.admit(method, params)
        faults = self._faults.get(method)
        if faults:
            fault = faults.popleft()
            await asyncio.sleep(fault.delay)
            raise ApiError(fault.status, fault.description, fault.retry_after)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            raise ApiError(404, "Not Found")
        result = await handler(params)
        self._notify()
        late = self._late.get(method)
        if late:
            await asyncio.sleep(late.popleft())
        return result

    async def _api_getMe(self, params: Json) -> Json:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Sore Back Bot",
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_getUpdates(self, params: Json) -> list[Json]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        if isinstance(offset, int) and offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        self._poll_generation += 1
        generation = self._poll_generation
        limit = min(int(params.get("limit") or 100), 100)
        allowed = params.get("allowed_updates") or None
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while True:
            ready = [u for u in self._updates if allowed is None or _kind(u) in allowed]
            if ready or time.monotonic() >= deadline:
                break
            await self._changed.wait(deadline - time.monotonic())
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
        return ready[:limit]

    async def _api_getFile(self, params: Json) -> Json:
        file_id = str(params.get("file_id") or "")
        if file_id not in self.files:
            raise bad_request("invalid file_id")
        result: Json = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": self.file_sizes.get(file_id, len(self.files[file_id])),
            "file_path": f"documents/{file_id}",
        }
        if result["file_size"] is None:
            del result["file_size"]
        return result

    def download(self, token: str, path: str) -> bytes | None:
        """The bytes behind a getFile file_path (None: wrong token or no such file)."""
        self.calls.append(Call("download", {"path": path}))
        folder, _, file_id = path.partition("/")
        if token != self.token or folder != "documents":
            return None
        return self.files.get(file_id)

    async def _api_sendMessage(self, params: Json) -> Json:
        chat_id = self._chat_for_send(params)
        text = self._text(params)
        markup = check_markup(params.get("reply_markup"))
        message = {
            "message_id": self._message_id(chat_id),
            "date": int(time.time()),
            "chat": self.chat_info[chat_id],
            "from": self._bot_user(),
            "text": text,
            "html": params.get("text"),
        }
        if markup is not None:
            message["reply_markup"] = markup
        self.chats.setdefault(chat_id, []).append(message)
        return _public(message)

    async def _api_editMessageText(self, params: Json) -> Json:
        message = self._editable(params)
        text = self._text(params)
        markup = check_markup(params.get("reply_markup"))
        if text == message["text"] and markup == message.get("reply_markup"):
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        edited = {
            **message,
            "text": text,
            "html": params.get("text"),
            "edit_date": int(time.time()),
        }
        edited.pop("reply_markup", None)
        if markup is not None:
            edited["reply_markup"] = markup
        self._replace_message(edited)
        return _public(edited)

    async def _api_editMessageReplyMarkup(self, params: Json) -> Json:
        message = self._editable(params)
        markup = check_markup(params.get("reply_markup"))
        if markup == message.get("reply_markup"):
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        edited = {k: v for k, v in message.items() if k != "reply_markup"}
        if markup is not None:
            edited["reply_markup"] = markup
        edited["edit_date"] = int(time.time())
        self._replace_message(edited)
        return _public(edited)

    async def _api_answerCallbackQuery(self, params: Json) -> bool:
        query_id = str(params.get("callback_query_id"))
        query = self._queries.get(query_id)
        if query is None or query["answered"]:
            raise bad_request(QUERY_TOO_OLD.removeprefix("Bad Request: "))
        text = params.get("text")
        if text is not None and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query["answered"] = True
        self.answers[query_id] = text
        return True

    async def _api_sendChatAction(self, params: Json) -> bool:
        chat_id = self._chat_for_send(params)
        self.actions.append((chat_id, str(params.get("action"))))
        return True

    async def _api_setMyCommands(self, params: Json) -> bool:
        commands = params.get("commands") or []
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.menus[_scope_key(params.get("scope"))] = list(commands)
        return True

    async def _api_getMyCommands(self, params: Json) -> list[Json]:
        return self.menus.get(_scope_key(params.get("scope")), [])

    async def _api_deleteMyCommands(self, params: Json) -> bool:
        self.menus.pop(_scope_key(params.get("scope")), None)
        return True

    @property
    def commands(self) -> list[Json]:
        """The default menu (what a chat without a more specific one shows)."""
        return self.menus.get("default", [])

    def menu_for(self, chat_id: int) -> list[Json]:
        """The menu Telegram would show in a chat: its own, else the private or group one."""
        for key in (f"chat:{chat_id}", "all_private_chats" if chat_id > 0 else "all_group_chats"):
            if key in self.menus:
                return self.menus[key]
        return self.commands

    async def _api_setWebhook(self, params: Json) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return await self._api_deleteWebhook(params)
        self.webhook = {"url": url, "secret_token": params.get("secret_token")}
        if self._pusher is None or self._pusher.done():
            self._pusher = asyncio.create_task(self._push_updates())
        return True

    async def _api_deleteWebhook(self, params: Json) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_getWebhookInfo(self, params: Json) -> Json:
        info: Json = {"url": "", "has_custom_certificate": False}
        if self.webhook is not None:
            info["url"] = self.webhook["url"]
        info["pending_update_count"] = len(self._updates)
        return info

    async def _api_close(self, params: Json) -> bool:
        return True

    # -- webhook pushing ------------------------------------------------------------------------
    async def _push_updates(self) -> None:
        """Like Telegram: POST each update, oldest first; keep it until a 2xx comes back."""
        async with httpx.AsyncClient(timeout=10.0) as client:
            while self.webhook is not None:
                if not self._updates:
                    await self._changed.wait(0.5)
                    continue
                update, hook = self._updates[0], self.webhook
                headers = {}
                if hook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
                try:
                    response = await client.post(hook["url"], json=update, headers=headers)
                    ok = response.status_code // 100 == 2
                except httpx.HTTPError:
                    ok = False
                self.webhook_pushes += 1
                if ok and self._updates and self._updates[0] is update:
                    self._updates.pop(0)
                    self._notify()
                elif not ok:
                    await asyncio.sleep(0.05)

    # -- internals ------------------------------------------------------------------------------
    def _notify(self) -> None:
        self._changed.notify()

    def _enqueue(self, update: Json) -> None:
        self._updates.append({"update_id": self._next_update, **update})
        self._next_update += 1
        self._notify()

    def _user(self, user_id: int) -> Json:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": f"Person{user_id}",
            "language_code": "en",
        }

    def _bot_user(self) -> Json:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Sore Back Bot",
            "username": self.username,
        }

    def _file(self, prefix: str) -> Json:
        n = next(self._query_ids)
        return {"file_id": f"{prefix}{n}", "file_unique_id": f"u{prefix}{n}"}

    def _message_id(self, chat_id: int) -> int:
        return next(self._next_message.setdefault(chat_id, itertools.count(1)))

    def _user_message(self, user_id: int, chat_id: int | None, extra: Json) -> Json:
        chat_id = user_id if chat_id is None else chat_id
        if chat_id == user_id:
            self.chat_info[chat_id] = {
                "id": user_id,
                "type": "private",
                "first_name": f"Person{user_id}",
            }
        elif chat_id not in self.chat_info:
            self.add_group(chat_id)
        message = {
            "message_id": self._message_id(chat_id),
            "date": int(time.time()),
            "chat": self.chat_info[chat_id],
            "from": self._user(user_id),
            **extra,
        }
        self.chats.setdefault(chat_id, []).append(message)
        self._enqueue({"message": message})
        return message

    def _replace_message(self, edited: Json) -> None:
        messages = self.chats[edited["chat"]["id"]]
        for index, msg in enumerate(messages):
            if msg["message_id"] == edited["message_id"]:
                messages[index] = edited

    def _chat_for_send(self, params: Json) -> int:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int) or chat_id not in self.chat_info:
            raise bad_request("chat not found")
        if chat_id in self.blocked:
            raise ApiError(403, BLOCKED)
        return chat_id

    def _text(self, params: Json) -> str:
        raw = str(params.get("text") or "")
        text = parse_html(raw) if str(params.get("parse_mode", "")).upper() == "HTML" else raw
        if not text.strip():
            raise bad_request("message text is empty")
        if utf16_len(text) > MAX_TEXT:
            raise bad_request("message is too long")
        return text

    def _editable(self, params: Json) -> Json:
        chat_id = self._chat_for_send(params)
        try:
            message = self.message(chat_id, int(params.get("message_id") or 0))
        except KeyError:
            raise bad_request("message to edit not found") from None
        if message["from"]["id"] != BOT_ID:
            raise bad_request("message can't be edited")
        return message


def _public(message: Json) -> Json:
    """A message as the Bot API returns it (without our raw-HTML bookkeeping)."""
    return {k: v for k, v in message.items() if k != "html"}


def _scope_key(scope: Any) -> str:
    if not isinstance(scope, dict) or scope.get("type", "default") == "default":
        return "default"
    if "chat_id" in scope:
        return f"{scope['type']}:{scope['chat_id']}"
    return str(scope["type"])


def _kind(update: Json) -> str:
    return next(k for k in update if k != "update_id")

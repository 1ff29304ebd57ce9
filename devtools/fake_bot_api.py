"""A small Bot API server on 127.0.0.1 for end-to-end tests (stdlib only, runs in a thread).

It follows the documented shapes: requests to /bot<token>/<method> with JSON, form or multipart
bodies; answers {"ok": true, "result": ...} or {"ok": false, "error_code": N, "description": ...,
"parameters": {"retry_after": N}}; file downloads under /file/bot<token>/<file_path>. It serves
queued updates through getUpdates (honouring offset, limit and timeout), records every call, and
injects faults per method: 429 with retry_after, 500/502, timeouts and connection resets.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import select
import socket
import struct
import threading
import time
import urllib.parse
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "123456789:AAHfakeTokenForTests_abcdefghijklmnop"
TEXT_KEYS = frozenset(
    {
        "text",
        "caption",
        "callback_query_id",
        "inline_query_id",
        "file_id",
        "url",
        "secret_token",
        "query",
        "description",
        "short_description",
        "name",
        "switch_pm_text",
    }
)


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    status: int = 200
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        """Tell whether the call succeeded."""
        return self.status == 200


@dataclass
class Fault:
    """One injected failure: kind is '429', '500', '502', 'timeout', 'reset' or 'garbage'.

    'garbage' answers 200 with a body that is not JSON.
    """

    kind: str
    retry_after: int = 1
    seconds: float = 3.0


class FakeBotAPI:
    """The server and its state; use as a context manager or call start()/stop()."""

    def __init__(
        self,
        token: str = TOKEN,
        bot_id: int = 123456789,
        light: bool = False,
        limits: bool = False,
    ) -> None:
        self.token = token
        self.bot_id = bot_id
        self.light = light  # keep only chat_id and a text prefix per call (load tests' memory)
        # Enforce Telegram's flood limits with 429s: 30 messages in any second in all, one a
        # second per private chat, 20 a minute per group.
        self.limits = FloodLimits() if limits else None
        self.calls: list[Call] = []
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.broken: dict[str, Fault] = {}  # methods that fail on every call
        self.hold: dict[str, float] = {}
        self.abandoned: list[Call] = []
        self.files: dict[str, tuple[str, bytes]] = {}
        self.commands: list[dict[str, Any]] = []
        self.description = ""
        self.short_description = ""
        self.webhook: dict[str, Any] = {}
        self._updates: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._cond = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.pending_holds = 0

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeBotAPI:
        """Listen on a free loopback port in a background thread."""
        api = self

        class Handler(_Handler):
            server_api = api

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and wake every waiting getUpdates."""
        with self._cond:
            self._cond.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The Bot API root to give the bot (TELEGRAM_API_BASE_URL)."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- updates -----------------------------------------------------------------------------

    def add_update(self, body: dict[str, Any]) -> int:
        """Queue one update (an update_id is assigned) and return its id."""
        with self._cond:
            update_id = next(self._ids)
            self._updates.append({"update_id": update_id, **body})
            self._cond.notify_all()
        return update_id

    def add_raw(self, item: dict[str, Any]) -> None:
        """Queue an update exactly as given (its own update_id; a redelivery, say)."""
        with self._cond:
            self._updates.append(dict(item))
            self._cond.notify_all()

    def pending_updates(self) -> int:
        """Return how many queued updates were not yet confirmed by an offset."""
        with self._cond:
            return len(self._updates)

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        with self._cond:
            if offset > 0:  # confirm: Telegram forgets every update below the offset
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline and self._server:
                self._cond.wait(max(0.0, deadline - time.monotonic()))
            return [dict(u) for u in self._updates[:limit]]

    # -- inspection --------------------------------------------------------------------------

    def record(self, call: Call) -> None:
        """Keep a call (thread-safe)."""
        if self.light:
            params = call.params
            call.params = {"chat_id": params.get("chat_id"), "text": str(params.get("text"))[:24]}
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[Call]:
        """Return successful calls of a method, optionally to one chat."""
        with self._cond:
            calls = list(self.calls)
        return [
            c
            for c in calls
            if c.method == method
            and c.ok
            and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)
        ]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Wait until `predicate()` holds (re-checked on every call); return whether it did."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.2))
        return True

    def add_file(self, content: bytes, name: str) -> str:
        """Store a file the bot may download; return its file_id."""
        number = len(self.files) + 1
        file_id = f"BQACAgUAAx{number:06d}"
        suffix = name.rsplit(".", 1)[-1] if "." in name else "bin"
        self.files[file_id] = (f"documents/file_{number}.{suffix}", content)
        return file_id

    def fail(self, method: str, *faults: Fault) -> None:
        """Make the next calls of `method` fail, one fault per call."""
        self.faults[method].extend(faults)

    def break_method(self, method: str, fault: Fault | None = None) -> None:
        """Make every call of `method` fail (a 500 unless told otherwise)."""
        self.broken[method] = fault or Fault("500")

    # -- answering ---------------------------------------------------------------------------

    def answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Return (status, body) for a Bot API call."""
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        result = handler(params)
        if isinstance(result, tuple):
            return result
        return 200, {"ok": True, "result": result}

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Test Bot",
            "username": "cx_test_bot",
        }

    def _message(self, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
        chat_id = int(params.get("chat_id", 0))
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": self._bot_user(),
            **extra,
        }
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        return message

    def _m_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    def _m_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self._get_updates(params)

    def _m_sendMessage(self, params: dict[str, Any]) -> Any:
        text = str(params.get("text", ""))
        if not text.strip():
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: message text is empty",
            }
        if len(text) > 4096 * 2:
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: message is too long",
            }
        return self._message(params, text=text)

    def _m_editMessageText(self, params: dict[str, Any]) -> Any:
        if "inline_message_id" in params:
            return True
        return self._message(params, text=str(params.get("text", "")))

    def _m_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        size = (
            len(params.get("photo", {}).get("data", b""))
            if isinstance(params.get("photo"), dict)
            else 0
        )
        photo = {
            "file_id": "P1",
            "file_unique_id": "UP1",
            "width": 800,
            "height": 400,
            "file_size": size,
        }
        return self._message(params, photo=[photo], caption=params.get("caption", ""))

    def _m_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        part = params.get("document") if isinstance(params.get("document"), dict) else {}
        document = {
            "file_id": "D1",
            "file_unique_id": "UD1",
            "file_name": part.get("filename", "file"),
            "file_size": part.get("size", 0),
        }
        return self._message(params, document=document)

    def _m_getFile(self, params: dict[str, Any]) -> Any:
        file_id = str(params.get("file_id", ""))
        if file_id not in self.files:
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: invalid file_id",
            }
        path, content = self.files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"U{file_id}",
            "file_size": len(content),
            "file_path": path,
        }

    def _m_setMyCommands(self, params: dict[str, Any]) -> bool:
        self.commands = list(params.get("commands") or [])
        return True

    def _m_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands

    def _m_setMyDescription(self, params: dict[str, Any]) -> bool:
        self.description = str(params.get("description", ""))
        return True

    def _m_setMyShortDescription(self, params: dict[str, Any]) -> bool:
        self.short_description = str(params.get("short_description", ""))
        return True

    def _m_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = dict(params)
        return True

    def _m_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {}
        return True

    def _m_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _true(self, params: dict[str, Any]) -> bool:
        return True

    _m_answerCallbackQuery = _true
    _m_answerInlineQuery = _true
    _m_sendChatAction = _true
    _m_close = _true
    _m_logOut = _true
    _m_editMessageReplyMarkup = _true
    _m_deleteMessage = _true


class FloodLimits:
    """Telegram's documented message limits, counted as the messages arrive."""

    def __init__(
        self,
        per_second: int = 30,
        chat_gap: float = 1.0,
        group_per_minute: int = 20,
        jitter: float = 0.1,
    ):
        self.per_second = per_second
        self.chat_gap = chat_gap
        self.group_per_minute = group_per_minute
        # Messages are stamped when this server's thread gets to them, not when they were
        # sent: two sends a full second apart can be stamped 0.95 s apart on a busy machine.
        # Telegram's own limits are not that exact either; the windows shrink by this much.
        self.jitter = jitter
        self.rejected = 0  # 429s answered
        self._all: deque[float] = deque()
        self._chats: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, method: str, chat_id: object) -> int:
        """Count a message; return 0 when allowed, else the retry_after to answer with."""
        if chat_id is None or not _is_message(method):
            return 0
        now = time.monotonic()
        key = str(chat_id)
        with self._lock:
            _forget(self._all, now - (1.0 - self.jitter))
            chat = self._chats[key]
            group = key.startswith(("-", "@"))
            _forget(chat, now - (60.0 if group else self.chat_gap - self.jitter))
            over_chat = len(chat) >= (self.group_per_minute if group else 1)
            if len(self._all) >= self.per_second or over_chat:
                self.rejected += 1
                return 1
            self._all.append(now)
            chat.append(now)
        return 0


def _is_message(method: str) -> bool:
    return (method.startswith("send") and method != "sendChatAction") or method in (
        "copyMessage",
        "forwardMessage",
    )


def _forget(stamps: deque[float], before: float) -> None:
    while stamps and stamps[0] <= before:
        stamps.popleft()


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 resets connections when a client opens a pool's
    # worth at once (a burst of replies); the real Bot API accepts them.
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # resets and timeouts are injected on purpose; nothing to report


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle on, the body waits for the client's
    # delayed ACK (40 ms or more per call), a stall the real Bot API does not have.
    disable_nagle_algorithm = True
    server_api: FakeBotAPI

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read calls instead
        return

    def do_GET(self) -> None:
        api = self.server_api
        prefix = f"/file/bot{api.token}/"
        path = urllib.parse.unquote(self.path)  # clients may send the token's ':' as %3A
        if path.startswith(prefix):
            wanted = path[len(prefix) :]
            for path, content in api.files.values():
                if path == wanted:
                    self._send_raw(200, content, "application/octet-stream")
                    return
            self._send_json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        self._dispatch({})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self._dispatch(parse_body(self.headers.get("Content-Type", ""), body))

    def _dispatch(self, params: dict[str, Any]) -> None:
        api = self.server_api
        path = urllib.parse.urlparse(self.path)
        params = {**_query(path.query), **params}
        prefix = f"/bot{api.token}/"
        route = urllib.parse.unquote(path.path)
        if not route.startswith(prefix):
            self._send_json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        method = route[len(prefix) :]
        fault = _pop(api.faults.get(method)) or api.broken.get(method)
        if fault is None and api.limits is not None:
            wait = api.limits.check(method, params.get("chat_id"))
            fault = Fault("429", retry_after=wait) if wait else None
        if fault is not None and self._inject(method, params, fault):
            return
        hold = api.hold.get(method, 0.0)
        if hold:
            api.pending_holds += 1
            time.sleep(hold)
            api.pending_holds -= 1
            if self._client_gone():
                api.abandoned.append(Call(method, params, 0))
                self.close_connection = True
                return
        status, payload = api.answer(method, params)
        api.record(Call(method, params, status))
        self._send_json(status, payload)

    def _inject(self, method: str, params: dict[str, Any], fault: Fault) -> bool:
        api = self.server_api
        api.record(
            Call(
                method,
                params,
                status=-1 if not fault.kind.isdigit() else int(fault.kind),
            )
        )
        if fault.kind == "429":
            self._send_json(
                429,
                {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {fault.retry_after}",
                    "parameters": {"retry_after": fault.retry_after},
                },
            )
        elif fault.kind in ("500", "502"):
            code = int(fault.kind)
            text = "Internal Server Error" if code == 500 else "Bad Gateway"
            self._send_json(code, {"ok": False, "error_code": code, "description": text})
        elif fault.kind == "garbage":
            self._send_raw(200, b"<html>not json", "text/html")
        elif fault.kind == "timeout":
            time.sleep(fault.seconds)  # longer than the client's read timeout
            self.close_connection = True
        elif fault.kind == "reset":
            # SO_LINGER 0 makes close() send RST: the client sees "connection reset by peer".
            self.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            self.close_connection = True
            self.connection.close()
        return True

    def _client_gone(self) -> bool:
        try:
            ready, _, _ = select.select([self.connection], [], [], 0)
            return bool(ready) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        self._send_raw(
            status, json.dumps(payload, ensure_ascii=False).encode(), "application/json"
        )

    def _send_raw(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            self.close_connection = True


def _pop(faults: deque[Fault] | None) -> Fault | None:
    try:
        return faults.popleft() if faults else None
    except IndexError:
        return None


def _value(key: str, raw: str) -> Any:
    if key in TEXT_KEYS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _query(query: str) -> dict[str, Any]:
    return {k: _value(k, v) for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True)}


def parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    """Parse a JSON, form-urlencoded or multipart body into parameters."""
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return dict(json.loads(body))
    if content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        params: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True) or b""
            filename = part.get_filename()
            if filename is not None:
                params[name] = {"filename": filename, "size": len(data), "data": data}
            else:
                params[name] = _value(name, data.decode("utf-8"))
        return params
    return _query(body.decode("utf-8"))


# --- update factories (the JSON Telegram sends) -----------------------------------------------


def user_json(user_id: int) -> dict[str, Any]:
    """Return a private user object."""
    return {
        "id": user_id,
        "is_bot": False,
        "first_name": f"用户{user_id}",
        "language_code": "zh-hans",
    }


def message_json(user_id: int, text: str, message_id: int = 1) -> dict[str, Any]:
    """Return a private-chat message; a leading /command gets its bot_command entity."""
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": f"用户{user_id}"},
        "from": user_json(user_id),
        "text": text,
    }
    if text.startswith("/"):
        length = len(text.split()[0])
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return message


def message_update(user_id: int, text: str) -> dict[str, Any]:
    """Return the body of a message update (without update_id)."""
    return {"message": message_json(user_id, text)}


def callback_update(user_id: int, data: str, chat_id: int | None = None) -> dict[str, Any]:
    """Return the body of a callback_query update for a button on a bot message."""
    bot_message = {
        "message_id": 77,
        "date": int(time.time()),
        "chat": {"id": chat_id or user_id, "type": "private"},
        "from": {"id": 123456789, "is_bot": True, "first_name": "Test Bot"},
        "text": "…",
    }
    return {
        "callback_query": {
            "id": f"cq{user_id}{time.monotonic_ns() % 10**9}",
            "from": user_json(user_id),
            "chat_instance": "ci-1",
            "data": data,
            "message": bot_message,
        }
    }


def inline_update(user_id: int, query: str) -> dict[str, Any]:
    """Return the body of an inline_query update."""
    return {
        "inline_query": {
            "id": f"iq{user_id}{time.monotonic_ns() % 10**9}",
            "from": user_json(user_id),
            "query": query,
            "offset": "",
        }
    }


def document_update(
    api: FakeBotAPI, user_id: int, name: str, content: bytes, caption: str | None = None
) -> dict[str, Any]:
    """Store a file on the server and return the body of a message carrying it."""
    file_id = api.add_file(content, name)
    message = message_json(user_id, "")
    del message["text"]
    message["document"] = {
        "file_id": file_id,
        "file_unique_id": f"U{file_id}",
        "file_name": name,
        "mime_type": "text/plain",
        "file_size": len(content),
    }
    if caption:
        message["caption"] = caption
    return {"message": message}

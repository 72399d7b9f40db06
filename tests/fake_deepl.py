"""A fake DeepL API server for tests: the real ``deepl`` client talks to it.

Standard-library ``http.server`` in a thread on 127.0.0.1, port 0. It answers
the endpoints the client (deepl-python 1.32, ``Translator``) uses, with the
fields the client reads (``detected_source_language``, ``billed_characters``,
the glossary fields of ``GlossaryInfo.from_json``), checks the
``Authorization: DeepL-Auth-Key`` header (403 otherwise) and records every
request. ``script`` queues behaviours for the next /v2/translate calls:
``"ok"``, an HTTP status (429, 456, 403, 500 ...), ``"hang"`` (no answer until
the server stops) or ``"break"`` (drop every XML tag from the translations).

A translation is ``"CS: " + text`` with tags kept, so markup survives and tests
can see what was machine-translated.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

import deepl
import pytest

MESSAGES = {
    403: "Authorization failed. Please supply a valid auth_key parameter.",
    429: "Too many requests",
    456: "Quota exceeded. The character limit has been reached.",
    500: "Internal server error",
    503: "Service unavailable",
}


@dataclass
class Recorded:
    method: str
    path: str
    body: dict[str, Any]
    authorized: bool


@dataclass
class FakeDeepL:
    key: str = "fake-key-0123456789abcdef:fx"
    script: list[object] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    glossaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    glossary_entries: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def translate_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path == "/v2/translate"]

    def start(self) -> "FakeDeepL":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
                pass

            def do_GET(self) -> None:
                fake._handle(self, "GET")

            def do_POST(self) -> None:
                fake._handle(self, "POST")

            def do_DELETE(self) -> None:
                fake._handle(self, "DELETE")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> "FakeDeepL":
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body: dict[str, Any] = {}
        if raw:
            if "json" in (handler.headers.get("Content-Type") or ""):
                body = json.loads(raw)
            else:
                from urllib.parse import parse_qs

                body = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(raw.decode()).items()}
        path = handler.path.split("?")[0]
        authorized = handler.headers.get("Authorization") == f"DeepL-Auth-Key {self.key}"
        with self._lock:
            self.requests.append(Recorded(method, path, body, authorized))
            action: object = "ok"
            if path == "/v2/translate" and self.script:
                action = self.script.pop(0)
        if not authorized:
            return self._send(handler, 403, {"message": MESSAGES[403]})
        if action == "hang":
            self._release.wait(30)
            return None
        if isinstance(action, int):
            return self._send(handler, action, {"message": MESSAGES.get(action, "error")})
        if action == "garbled":  # not DeepL's format: fields missing
            return self._send(handler, 200, {"translations": [{"text": "?"}]})
        if path == "/v2/translate" and method == "POST":
            return self._translate(handler, body, broken=action == "break")
        if path == "/v2/glossaries" and method == "GET":
            return self._send(handler, 200, {"glossaries": list(self.glossaries.values())})
        if path == "/v2/glossaries" and method == "POST":
            return self._create_glossary(handler, body)
        if path == "/v2/usage":
            return self._send(handler, 200, {"character_count": 0, "character_limit": 500000})
        return self._send(handler, 404, {"message": "Not found"})

    def _translate(self, handler: BaseHTTPRequestHandler, body: dict[str, Any], *, broken: bool) -> None:
        texts = body.get("text", [])
        if isinstance(texts, str):
            texts = [texts]
        if body.get("glossary_id") and body["glossary_id"] not in self.glossaries:
            return self._send(handler, 404, {"message": "Glossary not found"})
        translations = []
        for text in texts:
            result = "CS: " + text
            if broken:
                result = re.sub(r"<[^<>]*>", "", result)
            billed = len(re.sub(r"<[^<>]*>", "", text))
            translations.append(
                {"detected_source_language": "EN", "text": result, "billed_characters": billed}
            )
        return self._send(handler, 200, {"translations": translations})

    def _create_glossary(self, handler: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        glossary_id = str(uuid.uuid4())
        entries = str(body.get("entries", ""))
        info = {
            "glossary_id": glossary_id,
            "name": body.get("name", ""),
            "ready": True,
            "source_lang": str(body.get("source_lang", "")).lower(),
            "target_lang": str(body.get("target_lang", "")).lower(),
            "creation_time": "2025-04-01T09:30:00.123456Z",
            "entry_count": len([line for line in entries.splitlines() if line]),
        }
        self.glossaries[glossary_id] = info
        self.glossary_entries[glossary_id] = entries
        return self._send(handler, 201, info)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode("utf-8")
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)


@pytest.fixture(autouse=True)
def fast_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short timeouts and no retries unless a test asks for them (autouse in the
    modules that import it)."""
    monkeypatch.setattr(deepl.http_client, "max_network_retries", 0)
    monkeypatch.setattr(deepl.http_client, "min_connection_timeout", 0.5)
    monkeypatch.setattr(deepl.http_client._BackoffTimer, "BACKOFF_INITIAL", 0.02)


@pytest.fixture
def fake() -> Iterator[FakeDeepL]:
    with FakeDeepL() as server:
        yield server

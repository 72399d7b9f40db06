"""Retries and timeout of one DeepL client (``deepl.Translator``), not of the process.

Kept apart from :mod:`pipeline.mt.deepl`, which sends the requests: this module
imports neither the client nor an HTTP library, it only adjusts a client it is given.
"""

from __future__ import annotations

import socket


def configure_client(translator: object, retries: int, timeout: float) -> None:
    """Give this translator's HTTP client its own retries and timeout.

    The client only has module-wide settings (``deepl.http_client.max_network_retries``,
    ``min_connection_timeout``), which would change every other translator of the
    process; so the two methods of this one client that read them are wrapped
    (deepl-python 1.x: ``_should_retry``, ``_internal_request``). The module-wide
    settings still cap the retries and the timeout. Without these methods (another client
    version) the client's own settings stay."""
    client = getattr(translator, "_client", None)
    should_retry = getattr(client, "_should_retry", None)
    internal_request = getattr(client, "_internal_request", None)
    if client is None or should_retry is None or internal_request is None:
        return

    def retry(response: object, exception: BaseException | None, num_retries: int) -> bool:
        if num_retries >= retries or (response is None and exception is not None and _unreachable(exception)):
            return False
        return bool(should_retry(response, exception, num_retries))

    def request(prepared: object, stream: bool = False, **options: object) -> object:
        # The client's own timeout (its module setting) still caps ours.
        given = options.pop("timeout", timeout)
        limit = min(timeout, given) if isinstance(given, (int, float)) else timeout
        return internal_request(prepared, stream=stream, timeout=limit, **options)

    client._should_retry = retry
    client._internal_request = request


def _unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` (the client's ConnectionException) comes from a connection
    that could not be made at all: refused, or a host name that does not resolve.
    A timeout or a dropped connection is not (the server may answer next time)."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        error = todo.pop()
        if id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, (ConnectionRefusedError, socket.gaierror)):
            return True
        todo.extend(e for e in (error.__cause__, error.__context__, getattr(error, "reason", None)) if isinstance(e, BaseException))
        todo.extend(arg for arg in error.args if isinstance(arg, BaseException))
    return False

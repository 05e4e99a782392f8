"""An overall deadline for one HTTP request, enforced on every socket read.

httpx's timeouts are per read: a server that sends one byte of its *headers* every few
seconds never trips them, and the response object (where a body loop could check a clock)
does not exist yet. So the transport's network streams cap each read at what is left of
the calling thread's deadline, set around a request with :func:`until`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpcore
import httpx

_local = threading.local()


@contextmanager
def until(monotonic_deadline: float) -> Iterator[None]:
    """Reads on this thread's connections give up at ``time.monotonic()`` value
    ``monotonic_deadline`` (httpx raises ``ReadTimeout``)."""
    previous = getattr(_local, "at", None)
    _local.at = monotonic_deadline
    try:
        yield
    finally:
        _local.at = previous


def passed() -> bool:
    """Whether this thread's current deadline (if any) has gone by."""
    at = getattr(_local, "at", None)
    return at is not None and time.monotonic() >= at


def _capped(timeout: float | None) -> float | None:
    at = getattr(_local, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the request's overall deadline passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _capped(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _capped(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _capped(timeout)))

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        return _Stream(self._inner.connect_tcp(host, port, _capped(timeout), local_address,
                                               socket_options))

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        return _Stream(self._inner.connect_unix_socket(path, _capped(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def transport(*, retries: int = 0) -> httpx.HTTPTransport:
    """An ``httpx.HTTPTransport`` whose connections honour :func:`until`."""
    inner = httpx.HTTPTransport(retries=retries)
    # httpx offers no public hook for the network backend; its connection pool takes one.
    pool = inner._pool
    inner._pool = httpcore.ConnectionPool(
        ssl_context=pool._ssl_context,
        max_connections=pool._max_connections,
        max_keepalive_connections=pool._max_keepalive_connections,
        keepalive_expiry=pool._keepalive_expiry,
        http1=pool._http1,
        http2=pool._http2,
        retries=retries,
        network_backend=_Backend(),
    )
    return inner

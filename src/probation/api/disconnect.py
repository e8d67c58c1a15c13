"""Noticing that the client has gone, so long work on its behalf can stop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import Request


@asynccontextmanager
async def client_gone(request: Request) -> AsyncIterator[threading.Event]:
    """An event set when the client disconnects, for work running in a worker thread to check
    between steps. Enter it only once the request body has been read: it listens for the
    server's `http.disconnect` message."""
    gone = threading.Event()

    async def listen() -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass
        gone.set()

    task = asyncio.create_task(listen())
    await asyncio.sleep(0)  # let it take a disconnect that has already happened
    try:
        yield gone
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task

"""Driving the app with Textual's pilot: wait for it, and read its list and notices."""

from __future__ import annotations

import asyncio

from textual.worker import WorkerCancelled


class Clock:
    """A clock the test moves (the app's `clock=`): seconds since the epoch."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def settle(pilot, timeout: float = 20.0) -> None:
    """Wait until every worker is done and the screen has caught up."""
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        await pilot.pause()
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # an exclusive worker replaced by a newer one: the app meant it
            pass
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            break
        if loop.time() > deadline:
            running = [w.name for w in app.workers if w.is_running]
            raise AssertionError(f"the app did not settle in {timeout:.0f} s; still running: {running}")


async def wait_for(pilot, predicate, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.02)


def ids(app) -> list[str]:
    """The ids of the articles the list shows, top to bottom."""
    return [row.summary.id for row in app.sources.rows if row.kind == "article"]


def summary(app, article_id: str):
    return next(row.summary for row in app.sources.rows if row.kind == "article" and row.summary.id == article_id)


def notifications(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def select(pilot, article_id: str) -> None:
    """Put the list's cursor on an article (without opening it) and focus the list."""
    app = pilot.app
    app.sources.cursor = next(i for i, r in enumerate(app.sources.rows)
                              if r.kind == "article" and r.summary.id == article_id)
    app.sources.focus()
    await pilot.pause()


async def open_article(pilot, article_id: str) -> None:
    await select(pilot, article_id)
    await pilot.press("enter")
    await settle(pilot)

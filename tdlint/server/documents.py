"""What the server keeps per open document: the last analysis (for code actions and pulled
diagnostics), the last one with an outline (for hovers, kept while the text does not
parse), and the pending or running analysis."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from tdlint.server.analysis import Analysis, Snapshot

# LibCST's native parser recurses on the C stack: the analysis thread gets as much as the
# main thread usually has (deeply nested code is refused before that, see tdlint.guard).
STACK_SIZE = 64 * 1024 * 1024


def analysis_executor() -> ThreadPoolExecutor:
    """One worker thread for every analysis and fix, with a large stack."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tdlint-analysis")
    previous = threading.stack_size()
    try:
        threading.stack_size(STACK_SIZE)
        executor.submit(lambda: None).result()  # starts the thread now, with that stack
    except (ValueError, RuntimeError):  # a platform that will not: the default stack
        pass
    finally:
        threading.stack_size(previous)
    return executor


@dataclass(eq=False)
class DocumentState:
    uri: str
    last: Analysis | None = None
    good: Analysis | None = None  # the last analysis that has an outline
    timer: asyncio.TimerHandle | None = None
    task: asyncio.Future[Any] | None = None
    running: bool = False
    rerun: bool = False
    result_id: str | None = None
    told: str | None = None  # the last analysis error told to the editor
    notebook: bool = False  # a notebook: its cells are analysed together
    cells: set[str] = field(default_factory=set)  # the cells last published on
    _waiter: asyncio.Future[None] | None = field(default=None, repr=False)

    def is_current(self, snapshot: Snapshot | None, complete: bool = False) -> bool:
        """Whether the last analysis is of this text, version and settings (and, with
        ``complete``, finished: its outline built or given up)."""
        last = self.last
        return (
            snapshot is not None
            and last is not None
            and last.version == snapshot.version
            and last.text == snapshot.text
            and last.snapshot.settings == snapshot.settings
            and (last.complete or not complete)
        )

    def known(self, partial: Analysis) -> None:
        """The diagnostics of a version are known (its outline may follow)."""
        last = self.last
        if not (last is not None and last.complete and last.version == partial.version):
            self.last = partial
        self.notify()

    def finished(self, analysis: Analysis) -> None:
        self.last = analysis
        if analysis.outline is not None:
            self.good = analysis
        self.notify()

    def notify(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)
        self._waiter = None

    async def changed(self) -> None:
        """Wait for the next analysis (or part of one) to be known."""
        if self._waiter is None:
            self._waiter = asyncio.get_running_loop().create_future()
        await asyncio.shield(self._waiter)

    def close(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        self.notify()

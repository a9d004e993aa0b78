"""Interrupts: Ctrl-C and SIGTERM end the build the same way, through KeyboardInterrupt.

Also stopping what the build started: a process group (jupyter-book and LaTeX under it) or
every child process (the kernels of running chapters).
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress


class _Interrupts:
    """SIGINT/SIGTERM raise KeyboardInterrupt in the main thread, except where deferred.

    SIGTERM's default action kills the process without running ``finally`` blocks: kernels and
    jupyter-book would keep running and the staging folder and lock file would stay. Raising
    KeyboardInterrupt instead unwinds through the clean-up like Ctrl-C does.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self._previous: dict[int, object] = {}
        self._deferring = False
        self._ignoring = False

    def __enter__(self) -> _Interrupts:
        if threading.current_thread() is threading.main_thread():
            for signum in self.SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _handle(self, signum: int, frame: object) -> None:
        if self._ignoring or self._deferring:
            return
        self._ignoring = True  # one KeyboardInterrupt; the clean-up it starts must run whole
        raise KeyboardInterrupt

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Let a short critical section (the publish switch) finish before any interrupt.

        An interrupt that arrives there is dropped: the section is the build's last real
        step, so finishing it is what the user gets anyway, and "interrupted" would mislead.
        """
        self._deferring = True
        try:
            yield
        finally:
            self._deferring = False

    def ignore_further(self) -> None:
        self._ignoring = True


def _stop_process_group(process: subprocess.Popen, grace_seconds: float = 2.0) -> None:
    """Stop a child started with ``start_new_session=True`` and everything it started."""
    for signum in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, signum)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace_seconds)
            return
        except subprocess.TimeoutExpired:
            continue


def _stop_child_processes(grace_seconds: float = 2.0) -> None:
    """Stop every process this build started: here, the kernels of running chapters.

    papermill gives no handle on its kernels, so they are found as our child processes;
    grandchildren are collected before any is signalled, so none is orphaned and keeps
    writing into a folder about to be deleted.
    """
    import psutil

    children = psutil.Process().children(recursive=True)
    for child in children:
        with suppress(psutil.NoSuchProcess):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=grace_seconds)
    for child in alive:
        with suppress(psutil.NoSuchProcess):
            child.kill()

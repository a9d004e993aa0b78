"""Warm kernels: one per parallel job, started early and reused for several chapters.

Starting a kernel and importing pandas, Altair and the analysis modules is most of a small
chapter's run time. The build therefore starts one kernel per job while it validates the data
and stages the book, imports the library into each, and then runs chapters one after another
in them. Before each chapter the kernel's namespace is cleared (``%reset -f``) and its working
directory set to the chapter's folder, so a chapter sees what a fresh kernel would, minus the
import time; the build renumbers execution counts as a fresh kernel would. A kernel whose
chapter failed, timed out or died is restarted before it runs another.

The managers are asynchronous, as nbclient's own are: with a blocking manager nbclient's
check that the kernel is still alive never runs, and a killed kernel hangs the build.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from xaibook.reaper import Reaper

WARM_UP_CODE = "import xaibook.chapter, xaibook.analysis.intro, xaibook.analysis.methods"
READY_TIMEOUT_SECONDS = 300
ALIVE_POLL_SECONDS = 0.5


class KernelDied(RuntimeError):
    pass


class KernelPool:
    """``count`` kernels of ``kernel_name``, warming up in the background from construction."""

    def __init__(
        self,
        count: int,
        kernel_name: str,
        extra_arguments: list[str],
        *,
        environment: dict[str, str] | None = None,
        reaper: Reaper | None = None,
    ):
        """``environment``: the kernels' variables (default: this process's); ``reaper``: told
        each kernel's process group, so a killed build takes its kernels with it."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self._run_sync = run_sync
        self._idle: queue.Queue = queue.Queue()
        self._needs_restart: set[int] = set()
        self._reaper = reaper
        self._watched: dict[int, int] = {}  # id(manager) -> process group of its kernel
        self._managers = []
        for _ in range(count):
            manager = AsyncKernelManager(kernel_name=kernel_name)
            run_sync(manager.start_kernel)(
                extra_arguments=extra_arguments, env=dict(environment or os.environ)
            )
            self._watch(manager)
            self._managers.append(manager)
        for manager in self._managers:
            threading.Thread(target=self._warm, args=(manager,), daemon=True).start()

    def _watch(self, manager) -> None:
        """Register the manager's kernel (a session leader: its pid is its group) with the
        reaper, replacing the kernel it ran before."""
        if self._reaper is None:
            return
        old = self._watched.pop(id(manager), None)
        if old is not None:
            self._reaper.release(old)
        pid = getattr(manager.provisioner, "pid", None)  # None once the kernel is shut down
        if pid is not None:
            self._watched[id(manager)] = pid
            self._reaper.watch(pid)

    def _warm(self, manager) -> None:
        # a failed warm-up only costs time: the chapter then imports the library itself
        with contextlib.suppress(Exception):
            self._execute(manager, WARM_UP_CODE)
        self._idle.put(manager)

    def _execute(self, manager, code: str) -> None:
        self._run_sync(_execute_checked)(manager, code)

    @contextmanager
    def kernel(self, working_dir: Path) -> Iterator[object]:
        """A warm kernel with an empty namespace, running in ``working_dir``."""
        manager = self._idle.get()
        try:
            alive = self._run_sync(manager.is_alive)()
            if id(manager) in self._needs_restart or not alive:
                self._run_sync(manager.restart_kernel)(now=True)
                self._watch(manager)
                self._needs_restart.discard(id(manager))
            self._execute(
                manager,
                "get_ipython().run_line_magic('reset', '-f')\n"
                f"import os; os.chdir({str(working_dir)!r})",
            )
            yield manager
        except BaseException:
            # a failed or timed-out chapter may leave the kernel busy or half-changed
            self._needs_restart.add(id(manager))
            raise
        finally:
            self._idle.put(manager)

    def shutdown(self) -> None:
        """Stop every kernel (idempotent)."""
        for manager in self._managers:
            # the build's clean-up kills whatever a failed shutdown leaves
            with contextlib.suppress(Exception):
                if manager.has_kernel:
                    self._run_sync(manager.shutdown_kernel)(now=True)
            if not manager.has_kernel:
                self._watch(manager)  # releases the stopped kernel's group


async def _execute_checked(manager, code: str) -> None:
    """Run ``code`` in the kernel of ``manager``; raise if it fails or the kernel dies."""
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=READY_TIMEOUT_SECONDS)
        execution = asyncio.ensure_future(
            client.execute_interactive(
                code,
                store_history=False,
                timeout=READY_TIMEOUT_SECONDS,
                output_hook=lambda message: None,
            )
        )
        while not execution.done():
            if not await manager.is_alive():
                execution.cancel()
                raise KernelDied("the kernel died")
            await asyncio.wait([execution], timeout=ALIVE_POLL_SECONDS)
        content = execution.result()["content"]
        if content["status"] != "ok":
            raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")
    finally:
        client.stop_channels()

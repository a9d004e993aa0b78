"""Nothing a build starts outlives it, even when the build is killed with SIGKILL.

Kernels and jupyter-book run in process groups of their own (jupyter_client starts kernels in
a new session; jupyter-book gets one so that it and latexmk/xelatex under it stop together).
A SIGKILL of the build runs none of its clean-up, and a terminal's Ctrl-C does not reach those
groups. So the build starts a small watchdog process and tells it, through a pipe, each group
it starts and stops. When the pipe closes (the build ended, however it ended: the kernel
closes a dead process's files) the watchdog kills the groups still registered. It runs in a
session of its own and ignores Ctrl-C and SIGTERM, so the signal that ends the build does not
end it first.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading

WATCHDOG_CODE = """
import os, signal, sys
for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(signum, signal.SIG_IGN)
groups = set()
for line in sys.stdin:
    verb, pgid = line.split()
    (groups.add if verb == "+" else groups.discard)(int(pgid))
for pgid in groups:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass
"""


class Reaper:
    """Registers process groups with a watchdog that kills them if this process dies."""

    def __init__(self) -> None:
        self._watchdog: subprocess.Popen | None = None
        self._lock = threading.Lock()  # kernels are restarted from chapter threads

    def _send(self, line: str) -> None:
        with self._lock:
            if self._watchdog is None:
                self._watchdog = subprocess.Popen(
                    [sys.executable, "-c", WATCHDOG_CODE],
                    stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    text=True, start_new_session=True,
                )  # fmt: skip
            try:
                self._watchdog.stdin.write(line + "\n")
                self._watchdog.stdin.flush()
            except OSError:  # the watchdog died: only the last-resort clean-up is lost
                pass

    def watch(self, pgid: int) -> None:
        """Kill process group ``pgid`` if this process dies before calling ``release``."""
        self._send(f"+ {pgid}")

    def release(self, pgid: int) -> None:
        """The group ended (or was stopped): never signal its id, which may be reused."""
        self._send(f"- {pgid}")

    def close(self) -> None:
        """End the watchdog; groups still registered are killed now."""
        with self._lock:
            watchdog, self._watchdog = self._watchdog, None
        if watchdog is not None:
            with contextlib.suppress(OSError):
                watchdog.stdin.close()
            watchdog.wait()

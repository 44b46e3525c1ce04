"""Starting, supervising and stopping the child processes of `make run`, the benchmark and the tests.

Each child that `spawn` starts leads a process group of its own. So a terminal's Ctrl-C reaches
only the supervisor, which then stops the children in order, and stopping a child reaches
everything it started (gunicorn's workers too), even a worker that outlived its master.

We supervise with our own small loop rather than supervisord or honcho: honcho stops every
process when one exits (what this replaces), and supervisord needs a config file and a daemon,
and gives up on a program for good after a few quick failures; here the embedded Redis must be
restarted on the port the others already use, and a child is never given up.
"""
import ctypes
import logging
import os
import signal
import subprocess
import sys
import time

log = logging.getLogger("mnistsite.stack")

PR_SET_PDEATHSIG = 1


def _own_group_and_die_with_parent():
    # Runs in the child before exec: if the supervisor itself is killed (SIGKILL gives it no
    # chance to stop anyone), the child is told to stop instead of running on unowned.
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


def spawn(command, **kwargs):
    """Popen(command) as the leader of a new session and process group."""
    preexec = _own_group_and_die_with_parent if sys.platform.startswith("linux") else None
    return subprocess.Popen(command, start_new_session=True, preexec_fn=preexec, **kwargs)


def _leads_own_group(process):
    try:
        return os.getpgid(process.pid) == process.pid
    except ProcessLookupError:
        return False


def _signal(process, sig, group):
    try:
        if group:
            os.killpg(process.pid, sig)
        elif process.poll() is None:
            process.send_signal(sig)
    except (ProcessLookupError, PermissionError):
        pass


def _exited(process):
    """Whether `process` has exited, without reaping it: while it is an unreaped zombie, its
    process group id cannot be reused, so signalling the group reaches only its own."""
    if process.returncode is not None:
        return True
    try:
        return os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def stop_all(processes, timeout=20):
    """SIGTERM every process still running, with what it started (so each can shut down
    cleanly), then wait for each, killing any that outlasts `timeout` seconds; finally kill
    anything left in their process groups."""
    groups = {process.pid: _leads_own_group(process) for process in processes}
    for process in processes:
        if not _exited(process):
            _signal(process, signal.SIGTERM, groups[process.pid])
    deadline = time.monotonic() + timeout
    for process in processes:
        while not _exited(process) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not _exited(process):
            log.warning("pid %d did not stop within %d s; killing it", process.pid, timeout)
        # Whether or not the leader stopped, nothing of its group may outlive it.
        _signal(process, signal.SIGKILL, groups[process.pid])
        process.wait()


class Supervised:
    """One child kept running: when it exits it is started again after a back-off that doubles
    with each quick failure (up to `max_delay`) and resets once a run lasts `stable_after` s."""

    def __init__(self, name, start, min_delay=1.0, max_delay=30.0, stable_after=60.0):
        self.name = name
        self._start = start  # returns a Popen, or raises when the child cannot start
        self.min_delay = min_delay
        self.max_delay = max_delay
        self.stable_after = stable_after
        self.delay = min_delay
        self.process = None
        self.started_at = 0.0
        self.restart_at = 0.0
        self.restarts = 0

    def start(self):
        self.process = self._start()
        self.started_at = time.monotonic()

    def check(self):
        """Start the child again if it has exited and its back-off has passed."""
        now = time.monotonic()
        if self.process is None:
            if now >= self.restart_at:
                self._restart(now)
            return
        if not _exited(self.process):
            return
        process, self.process = self.process, None
        group = process.pid  # still reserved: the leader is not reaped yet
        try:
            os.killpg(group, signal.SIGKILL)  # what it left behind (gunicorn's workers)
        except (ProcessLookupError, PermissionError):
            pass
        code = process.wait()
        if now - self.started_at >= self.stable_after:
            self.delay = self.min_delay
        log.error("%s (pid %d) exited with %s; starting it again in %.0f s",
                  self.name, process.pid, _describe(code), self.delay)
        self.restart_at = now + self.delay
        self.delay = min(self.delay * 2, self.max_delay)

    def _restart(self, now):
        try:
            self.start()
        except Exception as exc:
            log.error("%s could not start (%s); trying again in %.0f s", self.name, exc, self.delay)
            self.restart_at = now + self.delay
            self.delay = min(self.delay * 2, self.max_delay)
            return
        self.restarts += 1
        log.warning("%s started again (pid %d)", self.name, self.process.pid)

    def stop(self, timeout):
        if self.process is not None:
            stop_all([self.process], timeout=timeout)
            self.process = None


def _describe(code):
    if code is not None and code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            pass
    return f"status {code}"

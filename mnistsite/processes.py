"""Stopping the child processes that `make run`, the benchmark and the tests start."""
import subprocess


def stop_all(processes, timeout=20):
    """SIGTERM every process still running (so each can shut down cleanly), then wait for
    each, killing any that outlasts `timeout` seconds."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()

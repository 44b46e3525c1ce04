"""Sampling profiles of the web and worker processes under the benchmark's load (py-spy).

`make bench BENCH_ARGS="--profile DIR"` records one collapsed-stack file per process group
while the 8-client load runs, and prints the functions that hold most samples: "self" (the
frame on top of the stack) and "total" (anywhere on the stack). py-spy reads the processes
from outside, so the profiled code runs unchanged.
"""
import collections
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

PY_SPY = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
_LINE = re.compile(r":\d+\)$")


class Recorder:
    """py-spy recording `pid` (and its children, for gunicorn's master) until stopped."""

    def __init__(self, name, pid, out_dir, rate=250):
        self.path = Path(out_dir) / f"{name}.txt"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        command = [PY_SPY, "record", "--pid", str(pid), "--format", "raw", "--output", str(self.path),
                   "--rate", str(rate), "--subprocesses", "--nonblocking"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self):
        # SIGINT makes py-spy write what it has collected and exit.
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        return self.path


def _frame(frame):
    # "function (file.py:123)" -> "function (file.py)": a function's lines add up.
    return _LINE.sub(")", frame.strip())


def top(path, n=12):
    """{"samples", "self": [(frame, share)], "total": [(frame, share)]} from a collapsed file."""
    own, anywhere, samples = collections.Counter(), collections.Counter(), 0
    for line in Path(path).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        count = int(count)
        frames = [_frame(f) for f in stack.split(";") if not f.startswith("process ")]
        if not frames:
            continue
        samples += count
        own[frames[-1]] += count
        for frame in set(frames):
            anywhere[frame] += count

    def shares(counter):
        return [(frame, round(c / samples, 3)) for frame, c in counter.most_common(n)] if samples else []

    return {"samples": samples, "self": shares(own), "total": shares(anywhere)}


def report(summary, title):
    lines = [f"{title}: {summary['samples']} samples", "  self:"]
    lines += [f"    {share:6.1%}  {frame}" for frame, share in summary["self"]]
    lines.append("  total:")
    lines += [f"    {share:6.1%}  {frame}" for frame, share in summary["total"]]
    return "\n".join(lines)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(report(top(name), name))

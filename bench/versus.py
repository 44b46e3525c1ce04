"""This checkout's queued design against an earlier commit's, in one run, turn by turn.

`make bench` compares designs within one run; figures of two runs differ by more than a small
change does (other load on the machine, its CPU steal). "Not slower than before" is answered
here: the earlier commit is checked out beside this one (a git worktree), and the two stacks are
started one after the other, alternating, for several rounds, each measured the same way as
`make bench` does (light: one client; load: several clients; every upload with ?wait=30).
Both run in this checkout's virtual environment. A benchmark, not a test: nothing asserts.

  .venv/bin/python -m bench.versus --base 6821fa2 [--rounds 3] [--workers 1 2]
      [--light-count 200] [--count 400] [--clients 8]

Writes bench/versus.json.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "versus.json"


def measure(workers, light_count, count, clients):
    """Run in a checkout's directory (the current one): its own bench.run starts its own stack."""
    import inspect

    sys.path.insert(0, os.getcwd())
    from bench import run

    single = [run.multipart([png]) for png in run.digit_pngs(200)]
    with tempfile.TemporaryDirectory() as data_dir:
        # Older checkouts' our_stack takes no cap on waits; this one's must not turn clients away.
        extra = (clients,) if len(inspect.signature(run.our_stack).parameters) == 4 else ()
        with run.our_stack(workers, data_dir, 2, *extra) as stack:
            port, path = stack["port"], "/api/predictions?wait=30"
            run.drive(port, path, single, 20, 2)  # warm-up
            light, _, light_errors, _ = run.drive(port, path, single, light_count, 1)
            load, _, load_errors, wall = run.drive(port, path, single, count, clients)
    return {"light_p50_ms": round(statistics.median(light), 2), "light_n": len(light),
            "predictions_per_s": round(len(load) / wall, 1), "load_n": len(load),
            "errors": len(light_errors) + len(load_errors)}


def _side(directory, workers, args):
    command = [sys.executable, str(Path(__file__).resolve()), "--measure", str(workers),
               "--light-count", str(args.light_count), "--count", str(args.count), "--clients", str(args.clients)]
    out = subprocess.run(command, cwd=directory, capture_output=True, text=True, timeout=900)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"measuring {directory} failed:\n{out.stderr[-2000:]}")
    return json.loads(lines[-1])


def _load_average():
    return round(os.getloadavg()[0], 2)


def compare(args):
    from bench.run import cpu_ticks, steal_share  # this checkout's; --measure imports the other's

    commit = subprocess.run(["git", "rev-parse", "--short", args.base], cwd=BASE_DIR, check=True,
                            capture_output=True, text=True).stdout.strip()
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, check=True,
                          capture_output=True, text=True).stdout.strip()
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), commit], cwd=BASE_DIR, check=True,
                       capture_output=True)
        try:
            for number in range(args.rounds):
                for workers in args.workers:
                    # Alternate which side goes first, so that neither always meets a warmer machine.
                    order = [("base", tree), ("head", BASE_DIR)]
                    if number % 2:
                        order.reverse()
                    for side, directory in order:
                        ticks = cpu_ticks()
                        result = _side(directory, workers, args)
                        result.update(round=number + 1, workers=workers, side=side, load_average=_load_average(),
                                      cpu_steal=steal_share(ticks, cpu_ticks()))
                        rounds.append(result)
                        print(json.dumps(result), flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=BASE_DIR, capture_output=True)
    summary = {}
    for workers in args.workers:
        for side in ("base", "head"):
            mine = [r for r in rounds if r["workers"] == workers and r["side"] == side]
            summary[f"{side} {workers}w"] = {
                "light_p50_ms_median": round(statistics.median(r["light_p50_ms"] for r in mine), 2),
                "predictions_per_s_median": round(statistics.median(r["predictions_per_s"] for r in mine), 1),
                "rounds": len(mine)}
    return {"base": commit, "head": head, "command": "python -m bench.versus " + " ".join(sys.argv[1:]),
            "clients": args.clients, "light_count": args.light_count, "count": args.count,
            "cpus": os.cpu_count(), "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
            "summary": summary, "rounds": rounds}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="the earlier commit")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--light-count", type=int, default=200)
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--measure", type=int, metavar="WORKERS", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.light_count, args.count, args.clients)))
        return
    if not args.base:
        parser.error("--base is required")
    results = compare(args)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    for name, cell in results["summary"].items():
        print(f"{name}: light p50 {cell['light_p50_ms_median']} ms, {cell['predictions_per_s_median']} predictions/s "
              f"(median of {cell['rounds']})")


if __name__ == "__main__":
    main()

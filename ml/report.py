"""The README's figures, written from the JSON artifacts that the measuring commands leave.

    python -m ml.report            # rewrite every generated block in README.md
    python -m ml.report --check    # exit 1 if README.md and the artifacts disagree

Nobody types a figure: each block sits between `<!-- figures:NAME -->` and `<!-- /figures:NAME -->`
and is replaced wholesale from its artifact. A test runs the check, so a README that drifts from
its artifacts fails the suite.
"""
import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ARTIFACTS = ROOT / "ml" / "artifacts"
BENCH_RESULTS = ROOT / "bench" / "results.json"
VERSUS_RESULTS = ROOT / "bench" / "versus.json"

BLOCK = re.compile(r"(<!-- figures:(?P<name>[a-z_]+) -->\n)(?P<body>.*?)(<!-- /figures:(?P=name) -->)", re.S)


def load(path):
    return json.loads(Path(path).read_text())


def pct(value, digits=2):
    return f"{100 * value:.{digits}f} %"


def num(value):
    return f"{value:,}"


def mb(size_bytes):
    return f"{size_bytes / 1e6:.2f} MB"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# One function per block: artifact in, Markdown out.
# ---------------------------------------------------------------------------

def model_block():
    m = load(ARTIFACTS / "metrics.json")
    speed = m["speed"]
    rows = [
        (f"Test accuracy ({num(m['test_size'])} MNIST test images)",
         f"**{pct(m['test_accuracy'])}** ({m['test_errors']} errors)"),
        ("Parameters, file", f"{num(m['parameters'])}, {mb(m['file_size_bytes'])}"),
        ("Training", f"{m['training_time_s'] / 60:.1f} min on {m['cpu_count']} CPU cores, "
                     f"{m['epochs_run']} of at most {m['epochs_max']} epochs (best: {m['best_epoch']}), "
                     f"{num(m['train_size'])} training and {num(m['validation_size'])} validation images"),
        ("Keras: one image (median, p95), in-process", f"{speed['single_image_ms_median']} ms, {speed['single_image_ms_p95']} ms"),
        (f"Keras: batches of {num(speed['batch_size'])}", f"{num(round(speed['batched_images_per_s']))} images/s"),
    ]
    served = m.get("litert")
    if served:
        weights = "8-bit weights" if served.get("quantised_weights") else "float32 weights"
        rows.append((f"Its LiteRT conversion `{served['file']}` ({weights}, {mb(served['file_size_bytes'])}), "
                     "test accuracy",
                     f"{pct(served['litert_test_accuracy'])} ({served['litert_test_errors']} errors; the same "
                     f"digit as Keras for {num(served['same_digit'])} of {num(served['test_size'])})"))
        sp = served["speed"]
        # Measured by ml.convert, in a process that has TensorFlow loaded beside the interpreter.
        rows.append((f"LiteRT while converting: one image (median, p95); batches of {num(sp['batch_size'])}",
                     f"{sp['single_image_ms_median']} ms, {sp['single_image_ms_p95']} ms; "
                     f"{num(round(sp['batched_images_per_s']))} images/s"))
    pair_path = ARTIFACTS / "served.json"
    if pair_path.exists():
        # What the workers answer with: the shipped model and its twin (ml.predict.Pair).
        pair, twin = load(pair_path), load(ARTIFACTS / "metrics_2.json")
        rows.append((f"Its twin `{pair['second']}` (seed {twin['seed']}, {twin['training_time_s'] / 60:.1f} min, "
                     f"{twin['epochs_run']} epochs), test accuracy alone",
                     f"{pct(pair['second_alone_accuracy'])}"))
        rows.append((f"**Served: the pair**, the twin asked where the first reads below "
                     f"{pair['second_opinion_below']} ({num(pair['asked_second'])} of {num(pair['test_size'])} "
                     f"test images), test accuracy",
                     f"**{pct(pair['test_accuracy'])}** ({pair['test_errors']} errors)"))
        alone = pair["first_alone_speed"]
        rows.append(("The pair, LiteRT alone in its process: one image (median, p95); batches of "
                     f"{num(pair['batch_size'])}",
                     f"{pair['single_image_ms_median']} ms, {pair['single_image_ms_p95']} ms; "
                     f"{num(round(pair['batched_images_per_s']))} images/s (the first model alone, "
                     f"same run: {alone['single_image_ms_median']} ms, {alone['single_image_ms_p95']} ms; "
                     f"{num(round(alone['batched_images_per_s']))} images/s)"))
    return table(("", ""), rows)


BASELINE_NAMES = {
    "softmax": "softmax regression",
    "mlp": "MLP, one hidden layer of 512",
    "lenet": "LeNet-style (2 conv + fc1024 + dropout)",
    "cnn": "**shipped CNN**",
}


def baselines_block():
    rows_by_kind = load(ARTIFACTS / "baselines.json")
    shipped = load(ARTIFACTS / "metrics.json")
    # The shipped model's own row comes from its metrics, so both tables show one run.
    rows_by_kind["cnn"] = {
        "test_accuracy": shipped["test_accuracy"],
        "parameters": shipped["parameters"],
        "file_size_bytes": shipped["file_size_bytes"],
        "single_image_ms_median": shipped["speed"]["single_image_ms_median"],
        "epochs_run": shipped["epochs_run"],
        "epochs_max": shipped["epochs_max"],
        "augmentation": shipped["augmentation"],
    }
    rows = []
    for kind in ("softmax", "mlp", "lenet", "cnn"):
        r = rows_by_kind[kind]
        rows.append((BASELINE_NAMES[kind], pct(r["test_accuracy"]), num(r["parameters"]), mb(r["file_size_bytes"]),
                     r["single_image_ms_median"], f"{r['epochs_run']} of {r.get('epochs_max', '?')}",
                     "yes" if r.get("augmentation") else "no"))
    return table(("model", "test accuracy", "parameters", "file", "ms/image", "epochs (run of budget)",
                  "augmented"), rows)


def corpus_block():
    c = load(ARTIFACTS / "corpus_results.json")
    before_path = ARTIFACTS / "corpus_results_before.json"
    before = {b["case"]: b for b in load(before_path)["cases"]} if before_path.exists() else {}
    rows = []
    for case in c["cases"]:
        label = f"*harder:* {case['label']}" if case.get("hard") else case["label"]
        # A case added since the previous pipeline was measured has no figure of it.
        previous = pct(before[case["case"]]["ours"], 0) if case["case"] in before else ("–" if before else "")
        rows.append((label, case["n"], f"**{pct(case['ours'], 0)}**", previous, pct(case["naive"], 0)))
    o = c["overall"]
    previous = ""
    if before:
        prev = load(before_path)["overall"]
        # Over the pictures it was measured on, when they are fewer than ours.
        previous = pct(prev["ours"], 1) + (f" (of {num(prev['n'])})" if prev.get("n", o["n"]) != o["n"] else "")
    rows.append((f"**overall ({num(o['n'])})**", num(o["n"]), f"**{pct(o['ours'], 1)}**", previous,
                 pct(o["naive"], 1)))
    head = (f"Held-out split (seed {c['seed']}; tuning used seed {c['seeds']['tuning']}), "
            f"`{c['command']}`:\n\n")
    return head + table(("case", "pictures", "ours", "previous pipeline", "naive"), rows)


def speed_block():
    s = load(ARTIFACTS / "preprocess_speed.json")
    rows = [(k["kind"], k["n"], f"{k['p50_ms']:.1f} ms") for k in s["kinds"]]
    return f"`{s['command']}`:\n\n" + table(("picture", "runs", "preprocessing p50"), rows)


def bench_block():
    # The benchmark's own table writer, over the results it saved: the same figures, never retyped.
    from bench.run import table as bench_table

    return bench_table(load(BENCH_RESULTS)) + "\n"


def versus_block():
    v = load(VERSUS_RESULTS)
    rows = []
    for workers in sorted({r["workers"] for r in v["rounds"]}):
        cells = []
        for side in ("base", "head"):
            mine = [r for r in v["rounds"] if r["workers"] == workers and r["side"] == side]
            summary = v["summary"][f"{side} {workers}w"]
            cells.append((f"{summary['light_p50_ms_median']} ({min(r['light_p50_ms'] for r in mine)}–"
                          f"{max(r['light_p50_ms'] for r in mine)})",
                          f"{summary['predictions_per_s_median']} ({min(r['predictions_per_s'] for r in mine)}–"
                          f"{max(r['predictions_per_s'] for r in mine)})", len(mine)))
        rows.append((f"queued, {workers} worker{'s' if workers > 1 else ''}", cells[0][0], cells[1][0],
                     cells[0][1], cells[1][1], cells[1][2]))
    steal = [r.get("cpu_steal") for r in v["rounds"] if r.get("cpu_steal") is not None]
    stolen = (f" The host took {pct(min(steal), 0)}–{pct(max(steal), 0)} of the cores' time from this machine "
              f"during the turns (CPU steal)." if steal else "")
    head = (f"`{v['command']}`: {v['base']} (before) and {v['head']} (now), started in turn on the same "
            f"machine, {v['light_count']} uploads from 1 client (*light*) and {v['count']} from "
            f"{v['clients']} clients per turn; median of the rounds (lowest–highest).{stolen}\n\n")
    return head + table(("design", "light p50 ms, before", "light p50 ms, now", "predictions/s, before",
                         "predictions/s, now", "rounds"), rows)


RENDERERS = {
    "model": model_block,
    "baselines": baselines_block,
    "corpus": corpus_block,
    "preprocess_speed": speed_block,
    "bench": bench_block,
    "versus": versus_block,
}


def render(text):
    """README text with every generated block rewritten from its artifact."""
    def replace(match):
        name = match.group("name")
        if name not in RENDERERS:
            raise KeyError(f"README.md has a figures block '{name}' that nothing writes")
        return match.group(1) + RENDERERS[name]() + match.group(4)

    return BLOCK.sub(replace, text)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only compare; exit 1 when README.md is out of date")
    args = ap.parse_args(argv)
    current = README.read_text()
    fresh = render(current)
    if args.check:
        if fresh != current:
            print("README.md's figures differ from the artifacts; run `make report`.", file=sys.stderr)
            return 1
        return 0
    README.write_text(fresh)
    return 0


if __name__ == "__main__":
    sys.exit(main())

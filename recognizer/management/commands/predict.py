"""python manage.py predict [--json] FILE...: read digits from picture files, in this process."""
import json
import os

from django.core.management.base import BaseCommand

# Pictures are read in groups so that a long list of files does not sit in memory at once;
# each group is one model call.
CHUNK = 256


class Command(BaseCommand):
    help = ("Read the digit (or number) in each picture file and print 'FILE ANSWER CONFIDENCE', "
            "or one JSON object per line with --json. Runs in-process: no queue, no worker.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="picture files (PNG, JPEG, HEIC, WebP, AVIF, GIF, BMP, TIFF)")
        parser.add_argument("--json", action="store_true", help="one JSON object per line")

    def handle(self, *args, **options):
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        from ml.decode import ImageRejected
        from ml.recognise import recognise_many

        files = options["files"]
        for start in range(0, len(files), CHUNK):
            names = files[start:start + CHUNK]
            results, readable = {}, []
            for i, name in enumerate(names):
                try:
                    with open(name, "rb") as fh:
                        readable.append((i, fh.read()))
                except OSError as exc:
                    results[i] = ImageRejected(f"cannot open the file ({exc.strerror or exc})")
            for (i, _), result in zip(readable, recognise_many([data for _, data in readable])):
                results[i] = result
            for i, name in enumerate(names):
                self.stdout.write(self._line(name, results[i], options["json"]))

    @staticmethod
    def _line(name, result, as_json):
        from ml.decode import ImageRejected

        if isinstance(result, ImageRejected):
            if as_json:
                return json.dumps({"file": name, "digit": None, "confidence": None, "probabilities": None,
                                   "error": str(result), "status": result.status})
            return f"{name} error: {result}"
        confidence = round(result.confidence, 4)
        if not as_json:
            return f"{name} {result.number} {result.confidence:.3f}"
        several = len(result.answers) > 1
        probabilities = [[round(p, 6) for p in a.probabilities] for a in result.answers]
        record = {"file": name, "digit": result.digit, "confidence": confidence,
                  "probabilities": probabilities if several else probabilities[0]}
        if several:
            record["number"] = result.number
        return json.dumps(record)

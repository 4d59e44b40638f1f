"""`manage.py parse_email FILE... [--json]`: run the parser over raw .eml files.

For operators and outside checks (DESIGN.md contract). It never touches the database:
system checks are skipped and the parser is pure, so it works on a machine whose
database is down. A file that cannot be read or parsed gives a line with `error` and
the command goes on to the next one. The exit status is 0 — even when some files had
errors, since each line already says so — unless `--strict` is given, which makes any
error exit with status 1 (for scripts that want to fail fast).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from apps.inbound.parsed import ParsedMail
from apps.inbound.parsing import parse

_MAX_FILE_BYTES = 50 * 1024 * 1024


def _read(path: Path) -> tuple[bytes, str]:
    try:
        if path.is_dir():
            return b"", "is a directory"
        if path.exists() and not path.is_file():
            return b"", "not a regular file"  # a device or a pipe could never end
        with path.open("rb") as file:
            data = file.read(_MAX_FILE_BYTES + 1)
    except OSError as exc:
        return b"", exc.strerror or str(exc)
    if len(data) > _MAX_FILE_BYTES:
        return b"", f"larger than {_MAX_FILE_BYTES} bytes"
    return data, ""


def file_parse(path: Path) -> dict:
    """One output record for one file; never raises for what is in the file."""
    raw, error = _read(path)
    if error:
        parsed = ParsedMail(error=error)
    else:
        try:
            parsed = parse(raw)
        except Exception as exc:  # noqa: BLE001 - our bug, but one file must not stop the run
            parsed = ParsedMail(error=f"parser failed: {exc.__class__.__name__}: {exc}")
    return {"file": str(path), **parsed.as_json()}


class Command(BaseCommand):
    help = "Parse raw .eml files without a database and print what the parser makes of them."
    requires_system_checks: list[str] = []  # checks may touch the database; we must not

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--json", action="store_true", help="one JSON object per line")
        parser.add_argument(
            "--strict", action="store_true", help="exit with status 1 if any file had an error"
        )

    def handle(self, *args, **options):
        errors = 0
        for name in options["files"]:
            record = file_parse(Path(name))
            errors += bool(record["error"])
            if options["json"]:
                line = json.dumps(record, ensure_ascii=False)
                # A terminal that cannot show the text gets JSON's \u escapes instead.
                self.stdout.write(line if self._encodable(line) else json.dumps(record))
            else:
                summary = self._summary(record)
                if not self._encodable(summary):
                    summary = summary.encode("ascii", "backslashreplace").decode("ascii")
                self.stdout.write(summary)
        if options["strict"] and errors:
            raise SystemExit(1)

    def _encodable(self, text: str) -> bool:
        encoding = getattr(self.stdout._out, "encoding", None) or "utf-8"
        try:
            text.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            return False
        return True

    def _summary(self, record: dict) -> str:
        if record["error"]:
            return f"{record['file']}: ERROR {record['error']}\n"
        kind = "bounce" if record["bounce"] else "auto-reply" if record["auto_reply"] else "reply"
        lines = [
            f"{record['file']}: {kind} from {record['from'] or '?'}",
            f"  subject: {record['subject']}",
            f"  message-id: {record['message_id']}",
        ]
        if record["items"]:
            lines.append(f"  items ({len(record['items'])}):")
            lines += [f"    - {item}" for item in record["items"]]
        else:
            lines.append("  items: none")
        return "\n".join(lines) + "\n"

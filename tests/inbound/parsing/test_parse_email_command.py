"""`manage.py parse_email` parses files without a database and reports bad files as lines."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[3]
GMAIL = ROOT / "tests/corpus/public/talon/standard_replies/gmail.eml"


def _run(*args, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "manage.py", "parse_email", *map(str, args)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_json_lines_without_a_database_and_bad_files_do_not_stop_the_run(tmp_path):
    """The database URL points at a closed port: any connection attempt would fail."""
    junk = tmp_path / "junk.eml"
    junk.write_bytes(bytes(range(256)) * 8)
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.eml"
    closed = f"postgres://postgres@127.0.0.1:{free_port()}/nothing"

    endless = Path("/dev/zero")  # a device that would never stop giving bytes

    result = _run(GMAIL, junk, empty, missing, tmp_path, endless, "--json",
                  env_extra={"DATABASE_URL": closed})

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [
        str(GMAIL), str(junk), str(empty), str(missing), str(tmp_path), str(endless)
    ]
    first = lines[0]
    assert {"file", "message_id", "from", "subject", "reply_text", "items", "auto_reply",
            "error"} <= set(first)
    assert first["reply_text"] == "Hello" and first["error"] == ""
    assert first["from"] == "xxx@gmail.com"
    assert all(line["error"] for line in lines[1:])


def test_strict_exits_1_when_a_file_had_an_error(tmp_path):
    result = _run(GMAIL, tmp_path / "missing.eml", "--json", "--strict")

    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 2


def test_without_json_it_prints_a_readable_summary():
    result = _run(GMAIL)

    assert result.returncode == 0
    assert f"{GMAIL}: reply from xxx@gmail.com" in result.stdout
    assert "subject: Re: Test" in result.stdout


def test_a_terminal_that_cannot_show_the_text_gets_escapes_not_a_traceback():
    japanese = next((ROOT / "tests/inbound/replies/gmail").glob("ja-*.eml"))
    env = {"PYTHONIOENCODING": "ascii"}

    as_json = _run(japanese, "--json", env_extra=env)
    summary = _run(japanese, env_extra=env)

    assert as_json.returncode == 0 and "Traceback" not in as_json.stderr
    assert json.loads(as_json.stdout)["items"]  # \u escapes still decode to the text
    assert summary.returncode == 0 and "\\u" in summary.stdout

"""What `kg build` prints for scripts: --json (one object on stdout), --quiet (errors only), and
no progress bar when stderr is not a terminal."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.ingest import document_count
from tests.conftest import ENGLISH, ROOT, run_cli

SUMMARY_KEYS = {"articles", "new_or_changed", "entities", "relations", "events", "errors", "outputs", "seconds"}


def test_json_is_one_object_with_counts_errors_and_outputs(tmp_path):
    missing = tmp_path / "missing.txt"
    result = run_cli("build", ENGLISH, missing, "-o", tmp_path / "out", "--no-html", "--json")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    assert set(summary) == SUMMARY_KEYS
    assert summary["articles"] == summary["new_or_changed"] == 1
    assert summary["entities"] > 5 and summary["relations"] > 5 and summary["events"] >= 1
    assert summary["errors"] == [{"input": str(missing), "message": "file not found"}]
    assert summary["outputs"] == {"store": str(tmp_path / "out" / "store"), "ttl": str(tmp_path / "out" / "graph.ttl"),
                                  "trig": str(tmp_path / "out" / "graph.trig")}
    assert f"error: {missing}: file not found" in result.stderr  # still on stderr, for people


def test_json_when_nothing_could_be_built_still_reports_and_fails(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = run_cli("build", empty, "-o", tmp_path / "out", "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["articles"] == 0 and summary["outputs"] == {}
    assert [e["input"] for e in summary["errors"]] == [str(empty)]


def test_quiet_prints_nothing_on_success_and_only_errors_otherwise(tmp_path):
    ok = run_cli("build", ENGLISH, "-o", tmp_path / "out", "--no-html", "--quiet")
    assert ok.exit_code == 0 and ok.stdout == "" and ok.stderr == ""
    missing = tmp_path / "missing.txt"
    with_error = run_cli("build", ENGLISH, missing, "-o", tmp_path / "out", "--no-html", "--quiet")
    assert with_error.stdout == "" and with_error.stderr == f"error: {missing}: file not found\n"


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    result = run_cli("build", ENGLISH, "-o", tmp_path / "out", "--no-html")
    assert result.stderr == ""
    assert result.stdout.startswith("1 articles (1 new or changed)")


def test_the_bar_knows_its_total_for_files_and_folders_not_for_feeds_or_jsonl(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    for name in ("a.txt", "b.html", "c.md", "ignored.png"):
        (folder / name).write_text("x")
    assert document_count([str(folder), str(ENGLISH), "https://example.com/a", str(tmp_path / "missing.txt")]) == 6
    (folder / "d.jsonl").write_text("{}")
    assert document_count([str(folder)]) is None
    assert document_count([str(tmp_path / "news.rss")]) is None
    assert document_count(["https://example.com/news.rss", "https://example.com/a.jsonl"]) == 2  # a URL is one page


def test_an_output_that_cannot_be_written_is_a_clear_error_not_a_traceback(tmp_path):
    out = tmp_path / "out"
    (out / "graph.ttl").mkdir(parents=True)  # a folder where the file should go
    result = CliRunner().invoke(main, ["build", str(ENGLISH), "-o", str(out), "--no-html"])
    assert result.exit_code == 1 and not isinstance(result.exception, OSError)
    assert str(out / "graph.ttl") in result.stderr
    assert "the store is updated" in result.stderr


def test_on_a_terminal_the_bar_counts_documents_and_errors_on_stderr_only(tmp_path):
    """stderr a terminal, stdout a pipe: the bar (total known, errors counted) never reaches stdout."""
    pty = pytest.importorskip("pty")
    terminal, stderr = pty.openpty()
    missing = tmp_path / "missing.txt"
    process = subprocess.Popen([sys.executable, "-m", "kg", "build", str(ENGLISH), str(missing), "-o",
                                str(tmp_path / "out"), "--no-html"], cwd=ROOT, stdout=subprocess.PIPE, stderr=stderr,
                               env={**os.environ, "TERM": "xterm", "COLUMNS": "160"})
    os.close(stderr)
    shown = b""
    while chunk := _read(terminal):
        shown += chunk
    stdout = process.stdout.read().decode()
    assert process.wait() == 0
    assert stdout.startswith("1 articles (1 new or changed) (1 skipped") and stdout.count("\n") == 1
    screen = shown.decode(errors="replace")
    assert "building" in screen and "2/2" in screen and "1 errors" in screen
    assert f"error: {missing}: file not found" in screen
    line_start = screen[:screen.index(f"error: {missing}")]
    assert line_start.endswith(("\x1b[2K", "\n")), "the error runs on from the bar's line"


def _read(terminal: int) -> bytes:
    try:
        return os.read(terminal, 65536)
    except OSError:  # the child closed the terminal
        return b""

"""README's "The three uses" section runs as written: every `kg` command in it (but `kg serve`,
which tests/test_serve.py starts) succeeds on the bundled example's build."""
from __future__ import annotations

import shlex
import shutil

import pytest

from tests.conftest import ROOT, run_cli

KG = ".venv/bin/kg "


def three_uses_commands() -> list[list[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The three uses", 1)[1].split("\n## ", 1)[0]
    lines = [line.strip() for line in section.splitlines() if line.strip().startswith(KG)]
    return [shlex.split(line[len(KG):], comments=True) for line in lines]


def test_the_section_shows_a_query_the_viewer_and_a_turtle_export():
    verbs = [(args[0], *args[1:3]) for args in three_uses_commands()]
    assert {"query", "serve", "view", "export"} <= {v[0] for v in verbs}
    assert ("export", "--format", "ttl") in verbs


@pytest.mark.parametrize("args", [a for a in three_uses_commands() if a[0] != "serve"], ids=" ".join)
def test_each_command_runs(args, example_build, tmp_path, monkeypatch):
    shutil.copytree(example_build, tmp_path / "outputs")
    monkeypatch.chdir(tmp_path)
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    for written in (a for a in args if a.startswith("outputs/")):
        assert (tmp_path / written).stat().st_size > 0

"""Shared paths and one build of the canonical example per test session."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLE = SHARED / "examples" / "zh-microsoft-capex-2025-02-25.txt"
GOLD = SHARED / "gold" / "zh-microsoft-capex-2025-02-25.yaml"
ENGLISH = ROOT / "tests" / "data" / "en-microsoft-leases.html"


def run_cli(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> Path:
    if not EXAMPLE.exists():
        pytest.skip("../shared/examples is not beside the repository")
    out = tmp_path_factory.mktemp("example")
    result = run_cli("build", EXAMPLE, "-o", out)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def bilingual_build(tmp_path_factory) -> Path:
    if not EXAMPLE.exists():
        pytest.skip("../shared/examples is not beside the repository")
    out = tmp_path_factory.mktemp("bilingual")
    result = run_cli("build", EXAMPLE, ENGLISH, "-o", out)
    assert result.exit_code == 0, result.output
    return out

"""The command line as a whole: help everywhere, documented in the README, clean errors."""
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kg.cli import cli

COMMANDS = sorted(cli.commands)


def run(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True,
                          timeout=300, **kwargs)


def test_kg_help_lists_every_command():
    out = run("--help")
    assert out.returncode == 0
    for name in COMMANDS:
        assert name in out.stdout


def test_no_arguments_prints_help():
    out = run()
    assert out.returncode == 0 and "Usage: kg" in out.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, "kg %s --help shows no example" % name


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(repo_root, name):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert "kg %s" % name in readme, "README does not show kg %s" % name


def test_readme_shows_the_two_commands(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert "pip install -e . && kg build" in readme
    assert "pip install -e '.[test]' && python -m pytest" in readme
    ci = (repo_root / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -e '.[test]' && python -m pytest" in ci


@pytest.mark.parametrize("args, message", [
    (["extract", "/no/such/file.txt"], "does not exist"),
    (["build", "--date", "2024-13-01"], "YYYY-MM-DD"),
    (["extract", "--format", "xml", "x.txt"], "xml"),
])
def test_errors_are_one_clear_line_without_traceback(args, message):
    out = run(*args)
    assert out.returncode != 0
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_build_reports_failed_files_in_exit_code(tmp_path):
    (tmp_path / "good.txt").write_text("徐州与宿迁签署合作协议。", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    out = run("build", str(tmp_path), "-o", str(tmp_path / "out"), "--no-page")
    assert out.returncode == 1
    assert "empty.txt" in out.stderr and "1 of 2 files failed" in out.stderr
    assert (tmp_path / "out" / "graph.trig").exists()


def test_extract_prints_the_contract(tmp_path):
    import json

    path = tmp_path / "a.txt"
    path.write_text("发布时间：2021-02-07\n徐连高铁将于8日开通，连接徐州和连云港。", encoding="utf-8")
    out = run("extract", str(path))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {"document", "entities", "relations"}
    assert {"type", "canonical", "text"} <= set(data["entities"][0])

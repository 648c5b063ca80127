"""The command line as a whole: help everywhere, documented in the README, clean errors."""
import os
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


@pytest.fixture(scope="module")
def small_graph(tmp_path_factory):
    """A graph of one document for the commands that read one."""
    from kg.build import build

    folder = tmp_path_factory.mktemp("graph")
    (folder / "a.txt").write_text("徐连高铁将于8日开通，连接徐州和连云港。", encoding="utf-8")
    build([folder / "a.txt"], folder / "out", page=False)
    return folder / "out" / "graph.nq"


@pytest.mark.parametrize("args, target", [
    (["build", "{text}", "-o", "{file}"], "{file}"),          # a file where the folder goes
    (["build", "{text}", "-o", "{file}/out"], "{file}/out"),
    (["analyze", "--graph", "{graph}", "-o", "{file}"], "{file}"),
    (["extract", "{text}", "-o", "{folder}"], "{folder}"),    # a folder where the file goes
    (["extract", "{text}", "-o", "{file}/x.json"], "{file}/x.json"),
    (["view", "--graph", "{graph}", "-o", "{folder}"], "{folder}"),
    (["export", "--graph", "{graph}", "--format", "gexf", "-o", "{file}/x.gexf"],
     "{file}/x.gexf"),
])
def test_an_output_that_cannot_be_written_is_named_in_one_line(tmp_path, small_graph, args,
                                                                target):
    names = {"text": tmp_path / "a.txt", "file": tmp_path / "file.txt",
             "folder": tmp_path / "folder", "graph": small_graph}
    names["text"].write_text("宿迁与徐州签署合作协议。", encoding="utf-8")
    names["file"].write_text("previous output", encoding="utf-8")
    names["folder"].mkdir()
    out = run(*[a.format(**names) for a in args])
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert "kg: error: cannot write %s (" % target.format(**names) in out.stderr
    assert "choose another output path (-o)" in out.stderr
    assert names["file"].read_text(encoding="utf-8") == "previous output"
    assert names["folder"].is_dir() and not list(names["folder"].iterdir())


def test_a_read_only_output_folder_is_named_in_one_line(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes into a read-only folder")
    (tmp_path / "a.txt").write_text("宿迁与徐州签署合作协议。", encoding="utf-8")
    (tmp_path / "ro").mkdir(mode=0o555)
    out = run("extract", str(tmp_path / "a.txt"), "-o", str(tmp_path / "ro" / "x.json"))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "cannot write %s (Permission denied)" % (tmp_path / "ro" / "x.json") in out.stderr


def test_an_unknown_encoding_is_refused_before_anything_is_read(tmp_path):
    (tmp_path / "a.txt").write_text("宿迁与徐州签署合作协议。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("徐州与宿迁签署合作协议。", encoding="utf-8")
    for args in (["build", str(tmp_path), "-o", str(tmp_path / "out")],
                 ["extract", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]):
        out = run(*args, "--encoding", "nosuch")
        assert out.returncode == 2 and "Traceback" not in out.stderr
        assert out.stderr.count("unknown encoding 'nosuch'") == 1, out.stderr
        assert "skipped" not in out.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("fmt", ["json", "nq"])
def test_an_extract_where_no_file_can_be_read_keeps_the_previous_output(tmp_path, fmt):
    keep = tmp_path / "keep.out"
    keep.write_text("earlier", encoding="utf-8")
    out = run("extract", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--format", fmt,
              "-o", str(keep))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.count("kg: skipped") == 2
    assert "kg: error: no input file could be read; %s was not changed" % keep in out.stderr
    assert keep.read_text(encoding="utf-8") == "earlier"


def test_a_build_where_no_file_can_be_read_keeps_the_previous_output(tmp_path):
    (tmp_path / "a.txt").write_text("宿迁与徐州签署合作协议。", encoding="utf-8")
    keep = tmp_path / "keep"
    assert run("build", str(tmp_path / "a.txt"), "-o", str(keep), "--no-page").returncode == 0
    before = (keep / "graph.nq").read_bytes()
    out = run("build", str(tmp_path / "typo.txt"), "-o", str(keep), "--no-page")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "kg: skipped %s: does not exist" % (tmp_path / "typo.txt") in out.stderr
    assert "kg: error: %s could not be read; nothing in %s was changed" % (
        tmp_path / "typo.txt", keep) in out.stderr
    assert (keep / "graph.nq").read_bytes() == before

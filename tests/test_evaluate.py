"""kg.evaluate: the contract's scoring, our quality bar, and agreement with shared/gold/score.py."""
import importlib.util
import json
from pathlib import Path

import pytest

from kg.evaluate import evaluate_paths, norm, prf, score_document, score_pairs

GOLD = {
    "entities": [
        {"type": "City", "canonical": "徐州", "aliases": ["彭城"]},
        {"type": "Infrastructure", "canonical": "徐连高铁", "connects": ["徐州", "连云港"]},
        {"type": "Project", "canonical": "恒达项目"},
        {"type": "Industry", "canonical": "光伏", "optional": True},
    ],
    "relations": [
        {"head": "徐连高铁", "relation": "connects", "tail": "徐州"},
        {"head": "徐连高铁", "relation": "connects", "tail": "连云港"},
        {"head": "恒达项目", "relation": "investment", "tail": {"value": 8e9, "unit": "CNY"}},
        {"head": "徐连高铁", "relation": "opened", "tail": "2021-02"},
        {"head": "恒达项目", "relation": "hasIndustry", "tail": "光伏", "optional": True},
    ],
}


def pred(entities, relations):
    return {"entities": entities, "relations": relations}


@pytest.mark.parametrize("prediction, entities, relations", [
    (pred([], []), [0, 0, 3], [0, 0, 4]),
    # names through aliases, a line through the places it connects, money within 1%,
    # dates at the gold's precision, optional items neither reward nor penalise
    (pred([{"type": "City", "canonical": "徐州市", "text": "彭城"},
           {"type": "Infrastructure", "canonical": "徐州至连云港高速铁路"},
           {"type": "Project", "canonical": "恒达项目"},
           {"type": "Industry", "canonical": "光伏"}],
          [{"head": "徐州至连云港高速铁路", "relation": "connects", "tail": "徐州"},
           {"head": "徐州至连云港高速铁路", "relation": "connects", "tail": "连云港"},
           {"head": "恒达项目", "relation": "investment", "tail": {"value": 8.05e9, "unit": "CNY"}},
           {"head": "徐州至连云港高速铁路", "relation": "opened", "tail": "2021-02-08"},
           {"head": "恒达项目", "relation": "hasIndustry", "tail": "光伏"}]),
     [3, 3, 3], [4, 4, 4]),
    # a wrong type is an extra entity; a duplicate relation is counted once
    (pred([{"type": "Region", "canonical": "徐州"}],
          [{"head": "徐连高铁", "relation": "connects", "tail": "徐州"},
           {"head": "徐连高铁", "relation": "connects", "tail": "徐州"},
           {"head": "徐连高铁", "relation": "opened", "tail": "2020"}]),
     [0, 1, 3], [1, 2, 4]),
])
def test_score_document(prediction, entities, relations):
    s = score_document(GOLD, prediction)
    assert s["entities"] == entities
    assert s["relations"] == relations


def test_norm_and_prf():
    assert norm("《徐州市》") == "徐州"
    assert prf(0, 0, 5) == (0.0, 0.0, 0.0)


def _shared_scorer(shared_dir):
    path = shared_dir / "gold" / "score.py"
    if not path.is_file():
        pytest.skip("no shared/gold/score.py")
    spec = importlib.util.spec_from_file_location("shared_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus_pairs(repo_root, extractor):
    from kg.read import read_document

    gold_dir = repo_root / "data" / "gold"
    if not any(gold_dir.glob("*.gold.json")):
        pytest.skip("data/gold holds no gold files yet")
    from kg.evaluate import pair_gold_files

    out = []
    for g, src in pair_gold_files(gold_dir, repo_root / "data" / "corpus"):
        doc = read_document(src, doc_id=str(src))
        out.append((str(g), json.loads(g.read_text(encoding="utf-8")),
                    extractor.extract_document(doc).to_json()))
    return out


def test_agrees_with_the_shared_scorer(shared_dir, corpus_pairs):
    shared = _shared_scorer(shared_dir)
    cases = list(corpus_pairs) + [("hand", GOLD, pred([], []))]
    for name, gold, prediction in cases:
        ours = score_document(gold, prediction)
        theirs = shared.score_doc(gold, prediction)
        for key in ("entities", "relations", "per_relation", "missed_relations",
                    "missed_entities"):
            assert ours[key] == theirs[key], (name, key)


def test_our_gold_meets_the_bar(corpus_pairs):
    result = score_pairs(corpus_pairs).result()
    assert result["entities"]["f1"] >= 0.90, result
    assert result["relations"]["f1"] >= 0.85, result


def test_seed_article_meets_the_bar(shared_dir, extractor):
    from kg.read import read_document

    gold = shared_dir / "gold" / "000_b621285ea4fcbdca.gold.json"
    text = shared_dir / "seeds" / "000_b621285ea4fcbdca.txt"
    if not gold.is_file() or not text.is_file():
        pytest.skip("the seed article is not in shared/")
    result = evaluate_paths(gold, text, extractor=extractor).result()
    assert result["entities"]["f1"] >= 0.90, result
    assert result["relations"]["f1"] >= 0.85, result


def test_evaluate_a_folder_needs_a_folder(tmp_path):
    from kg.errors import InputError

    (tmp_path / "a.gold.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="folder of texts"):
        evaluate_paths(tmp_path, tmp_path / "a.gold.json")


def test_evaluate_missing_source_text(tmp_path):
    from kg.errors import InputError

    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "x.gold.json").write_text('{"entities": [], "relations": []}', encoding="utf-8")
    with pytest.raises(InputError, match="no source text"):
        evaluate_paths(gold_dir, tmp_path)


def test_cli_evaluate(repo_root, tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    gold = tmp_path / "g.gold.json"
    gold.write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    text = tmp_path / "t.txt"
    text.write_text("徐连高铁连接彭城与港城。", encoding="utf-8")
    out = CliRunner().invoke(cli, ["evaluate", str(gold), str(text), "--json"])
    assert out.exit_code == 0, out.output
    scores = json.loads(out.output)
    assert scores["relations"]["precision"] == 1.0
    assert set(scores["per_relation"]) == {"connects", "investment", "opened"}

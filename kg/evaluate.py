"""Scoring extractions against gold annotations: precision, recall and F1.

The semantics are those of the contract's scorer (``shared/gold/score.py``), ported here so
that ``kg evaluate`` works where ``shared/`` is absent: entities are compared as sets of
(type, canonical) per document, relations as sets of (head, relation, tail). A predicted name
matches a gold entity through its canonical, its text or the gold aliases; an Infrastructure
entity also matches when it connects the same set of places. Money compares in yuan within 1%,
ranges compare both ends, dates compare at the gold's precision, and gold items marked
``"optional": true`` neither reward nor penalise.

>>> gold = {"entities": [{"type": "City", "canonical": "徐州", "aliases": ["彭城"]}],
...         "relations": []}
>>> pred = {"entities": [{"type": "City", "canonical": "徐州市", "text": "彭城"}], "relations": []}
>>> score_document(gold, pred)["entities"]
[1, 1, 1]
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from .errors import InputError

__all__ = ["score_document", "score_pairs", "prf", "Score", "evaluate_paths", "pair_gold_files",
           "norm"]

CORE_TYPES = {"City", "Province", "Region", "ParkZone", "Project", "Industry", "Cluster",
              "Infrastructure", "Organization", "Agreement", "WaterBody"}
TYPE_ALIASES = {
    "County": "City", "District": "City", "CountyLevelCity": "City", "Prefecture": "City",
    "Railway": "Infrastructure", "HighSpeedRail": "Infrastructure", "Expressway": "Infrastructure",
    "Highway": "Infrastructure", "Road": "Infrastructure", "BusLine": "Infrastructure",
    "Canal": "Infrastructure", "Port": "Infrastructure", "Airport": "Infrastructure",
    "Station": "Infrastructure", "Pipeline": "Infrastructure", "Bridge": "Infrastructure",
    "University": "Organization", "Company": "Organization", "Alliance": "Organization",
    "Government": "Organization", "Meeting": "Organization", "Event": "Organization",
    "Plan": "Agreement", "Policy": "Agreement", "Mechanism": "Agreement",
    "Lake": "WaterBody", "River": "WaterBody",
    "IndustrialPark": "ParkZone", "Park": "ParkZone", "IndustryCluster": "Cluster",
}
LITERAL_RELATIONS = {"investment", "capacity", "opened"}
QUOTES = "“”\"'‘’《》〈〉「」『』【】"
_UNIT = {"亿": 1e8, "万": 1e4, "千": 1e3}


def norm(name) -> str:
    """A name as the scorer compares it: NFKC, no quotes or spaces, no 市/省 suffix.

    >>> norm("“徐州市”"), norm("江苏省"), norm("徐州—淮北快速路")
    ('徐州', '江苏', '徐州-淮北快速路')
    """
    s = unicodedata.normalize("NFKC", str(name))
    s = "".join(ch for ch in s if ch not in QUOTES and not ch.isspace())
    s = s.replace("—", "-").replace("–", "-")
    for suffix in ("市", "省"):
        if s.endswith(suffix) and len(s) > 2:
            s = s[: -len(suffix)]
    return s


def _core(t: str) -> str:
    return TYPE_ALIASES.get(t, t)


def _numbers(tail) -> tuple:
    if isinstance(tail, dict):
        vals = [tail[k] for k in ("value", "min", "max") if k in tail and tail[k] is not None]
        return tuple(sorted({round(float(v), 6) for v in vals}))
    s = unicodedata.normalize("NFKC", str(tail))
    out = set()
    for m in re.finditer(r"(\d+(?:\.\d+)?)\s*([亿万千]?)", s):
        v = float(m.group(1))
        if "元" in s[m.end():m.end() + 2] or m.group(2) and "元" in s[m.end():m.end() + 3]:
            v *= _UNIT.get(m.group(2), 1)
        out.add(round(v, 6))
    return tuple(sorted(out))


def _dates(tail):
    s = unicodedata.normalize("NFKC", str(tail.get("value", tail) if isinstance(tail, dict)
                                          else tail))
    m = re.match(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", s)
    if not m:
        return None
    return tuple(int(x) for x in m.groups() if x)


def _literal_match(rel: str, gold_tail, pred_tail) -> bool:
    if rel == "opened":
        g, p = _dates(gold_tail), _dates(pred_tail)
        return g is not None and p is not None and p[: len(g)] == g
    g, p = _numbers(gold_tail), _numbers(pred_tail)
    if not g:
        return isinstance(pred_tail, str) and norm(gold_tail) == norm(pred_tail)
    if len(g) != len(p):
        return False
    return all(abs(a - b) <= 0.01 * max(abs(a), 1e-9) for a, b in zip(g, p))


class _Gold:
    def __init__(self, doc: dict):
        self.entities: dict = {}
        self.alias: dict = {}
        self.connects: dict = {}
        for e in doc.get("entities", []):
            key = (_core(e["type"]), norm(e["canonical"]))
            self.entities[key] = self.entities.get(key, False) or not e.get("optional", False)
            for name in [e["canonical"], e.get("text", "")] + list(e.get("aliases", [])):
                if name:
                    self.alias.setdefault((key[0], norm(name)), key)
        self.by_name = {key[1]: key for key in self.entities}
        for (t, n), key in self.alias.items():
            self.by_name.setdefault(n, key)
        rel_cities: dict = {}
        self.relations: dict = {}
        for r in doc.get("relations", []):
            head = self.by_name.get(norm(r["head"]), (None, norm(r["head"])))
            if r["relation"] in LITERAL_RELATIONS:
                k = (head[1], r["relation"], json.dumps(r["tail"], ensure_ascii=False,
                                                        sort_keys=True))
            else:
                tail = self.by_name.get(norm(r["tail"]), (None, norm(r["tail"])))[1]
                k = (head[1], r["relation"], tail)
                if r["relation"] == "connects":
                    rel_cities.setdefault(head, set()).add(tail)
            required = not r.get("optional", False)
            self.relations[k] = (self.relations.get(k, (False, None))[0] or required, r["tail"])
        for e in doc.get("entities", []):
            if _core(e["type"]) == "Infrastructure" and e.get("connects"):
                rel_cities.setdefault(("Infrastructure", norm(e["canonical"])), set()).update(
                    norm(c) for c in e["connects"])
        for key, cities in rel_cities.items():
            if key[0] == "Infrastructure" and len(cities) >= 2:
                self.connects.setdefault(frozenset(cities), key)


def _align(gold: _Gold, pred: dict) -> dict:
    pred_connects: dict = {}
    for r in pred.get("relations", []):
        if r.get("relation") == "connects" and isinstance(r.get("tail"), str):
            pred_connects.setdefault(norm(r["head"]), set()).add(norm(r["tail"]))
    mapping = {}
    for e in pred.get("entities", []):
        t = _core(e.get("type", ""))
        names = [e.get("canonical", ""), e.get("text", "")]
        key = next((gold.alias[(t, norm(n))] for n in names if (t, norm(n)) in gold.alias), None)
        if key is None and t == "Infrastructure":
            cities = pred_connects.get(norm(e.get("canonical", "")), set())
            key = gold.connects.get(frozenset(gold.by_name.get(c, (None, c))[1] for c in cities))
        mapping[(t, norm(e.get("canonical", "")))] = key
    return mapping


def score_document(gold_doc: dict, pred_doc: dict) -> dict:
    """Counts for one document: ``entities``/``relations`` as [tp, predicted, gold],
    ``per_relation`` {name: [tp, predicted, gold]}, and the gold items missed."""
    gold = _Gold(gold_doc)
    mapping = _align(gold, pred_doc)
    by_pred_name: dict = {}
    for (t, n), key in mapping.items():
        if key is not None:
            by_pred_name.setdefault(n, key)
    pred_keys, unmatched = set(), 0
    extra_entities = []
    for (t, n), key in mapping.items():
        if key is None:
            unmatched += 1
            extra_entities.append("%s:%s" % (t, n))
        else:
            pred_keys.add(key)
    e_tp = sum(1 for k in pred_keys if gold.entities.get(k))
    e_pred = e_tp + unmatched
    e_gold = sum(1 for v in gold.entities.values() if v)

    def gold_name(n):
        key = by_pred_name.get(norm(n)) or gold.by_name.get(norm(n))
        return key[1] if key else norm(n)

    r_tp, r_pred, seen = 0, 0, set()
    per_rel: dict = {}
    extra_relations = []
    for r in pred_doc.get("relations", []):
        rel = r.get("relation")
        head = gold_name(r.get("head", ""))
        if rel in LITERAL_RELATIONS:
            hit = next((k for k, (req, gt) in gold.relations.items()
                        if k[0] == head and k[1] == rel and k not in seen
                        and _literal_match(rel, gt, r.get("tail"))), None)
        else:
            k = (head, rel, gold_name(r.get("tail", "")))
            hit = k if k in gold.relations and k not in seen else None
            if hit is None and k in seen:
                continue
        stats = per_rel.setdefault(rel, [0, 0, 0])
        if hit is not None:
            seen.add(hit)
            if gold.relations[hit][0]:
                r_tp += 1
                r_pred += 1
                stats[0] += 1
                stats[1] += 1
        else:
            r_pred += 1
            stats[1] += 1
            extra_relations.append("%s %s %s" % (head, rel, json.dumps(
                r.get("tail"), ensure_ascii=False, sort_keys=True) if isinstance(
                r.get("tail"), dict) else gold_name(r.get("tail", ""))))
    for k, (req, _) in gold.relations.items():
        if req:
            per_rel.setdefault(k[1], [0, 0, 0])[2] += 1
    r_gold = sum(1 for req, _ in gold.relations.values() if req)
    missed = sorted("%s %s %s" % k for k, (req, _) in gold.relations.items()
                    if req and k not in seen)
    missed_e = sorted("%s:%s" % k for k, req in gold.entities.items() if req and k not in pred_keys)
    return {"entities": [e_tp, e_pred, e_gold], "relations": [r_tp, r_pred, r_gold],
            "per_relation": per_rel, "missed_relations": missed, "missed_entities": missed_e,
            "extra_entities": sorted(extra_entities), "extra_relations": extra_relations}


def prf(tp: int, pred: int, gold: int) -> tuple:
    """Precision, recall and F1, rounded to three places.

    >>> prf(3, 4, 6)
    (0.75, 0.5, 0.6)
    """
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 3), round(r, 3), round(f, 3)


@dataclass
class Score:
    """Totals over documents, with per-document details."""

    entities: list = field(default_factory=lambda: [0, 0, 0])
    relations: list = field(default_factory=lambda: [0, 0, 0])
    per_relation: dict = field(default_factory=dict)
    documents: list = field(default_factory=list)

    def add(self, name: str, counts: dict) -> None:
        self.documents.append({"gold": name, **counts})
        for part in ("entities", "relations"):
            setattr(self, part, [a + b for a, b in zip(getattr(self, part), counts[part])])
        for rel, v in counts["per_relation"].items():
            self.per_relation[rel] = [a + b for a, b in zip(self.per_relation.get(rel, [0, 0, 0]),
                                                              v)]

    def result(self) -> dict:
        """``{"entities": {precision, recall, f1}, "relations": {...}, "per_relation": {...}}``."""
        out = {part: dict(zip(("precision", "recall", "f1"), prf(*getattr(self, part))))
               for part in ("entities", "relations")}
        out["per_relation"] = {rel: dict(zip(("precision", "recall", "f1"), prf(*v)))
                               for rel, v in sorted(self.per_relation.items())}
        return out

    def report(self, details: bool = True) -> str:
        """The scorer's text report: misses per document, then P/R/F1 per relation and overall."""
        lines = []
        if details:
            for d in self.documents:
                lines.append("# %s" % d["gold"])
                lines.extend("  missed entity   %s" % m for m in d["missed_entities"])
                lines.extend("  missed relation %s" % m for m in d["missed_relations"])
        res = self.result()
        for rel, v in res["per_relation"].items():
            lines.append("%-15s P=%.3f R=%.3f F1=%.3f" % (rel, v["precision"], v["recall"],
                                                         v["f1"]))
        for part in ("entities", "relations"):
            v = res[part]
            lines.append("%-15s P=%.3f R=%.3f F1=%.3f" % (part, v["precision"], v["recall"],
                                                         v["f1"]))
        return "\n".join(lines)


def score_pairs(pairs: Iterable[tuple]) -> Score:
    """Score ``(name, gold_dict, predicted_dict)`` triples together."""
    total = Score()
    for name, gold_doc, pred_doc in pairs:
        if isinstance(pred_doc, list) and len(pred_doc) == 1:
            pred_doc = pred_doc[0]
        total.add(name, score_document(gold_doc, pred_doc))
    return total


def _load_json(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise InputError("%s does not exist; check the path" % path) from None
    except json.JSONDecodeError as exc:
        raise InputError("%s is not JSON (%s, line %d)" % (path, exc.msg, exc.lineno)) from None


def pair_gold_files(gold_dir: Path, corpus_dir: Path) -> list:
    """``(gold file, source file)`` pairs: ``NAME.gold.json`` goes with ``NAME.txt`` (or the
    file its ``document`` field names) in ``corpus_dir``."""
    gold_dir, corpus_dir = Path(gold_dir), Path(corpus_dir)
    pairs = []
    for g in sorted(gold_dir.glob("*.gold.json")):
        stem = g.name[: -len(".gold.json")]
        candidates = [corpus_dir / (stem + suffix) for suffix in (".txt", ".html", ".htm")]
        doc = _load_json(g).get("document")
        if doc:
            candidates.append(corpus_dir / Path(doc).name)
        source = next((c for c in candidates if c.is_file()), None)
        if source is None:
            raise InputError("no source text for %s in %s (looked for %s); give the folder "
                             "that holds the annotated articles"
                             % (g.name, corpus_dir, ", ".join(c.name for c in candidates[:1])))
        pairs.append((g, source))
    if not pairs:
        raise InputError("%s holds no *.gold.json files" % gold_dir)
    return pairs


def evaluate_paths(gold: Path, source: Path, *, extractor=None, date: Optional[str] = None
                   ) -> Score:
    """Extract and score: one gold file and its text, or a folder of gold files and a folder
    of texts (``NAME.gold.json`` with ``NAME.txt``). A ``.json`` source is taken as an
    extraction already made (what ``kg extract --format json`` prints)."""
    gold, source = Path(gold), Path(source)
    if gold.is_dir():
        if not source.is_dir():
            raise InputError("%s is a folder of gold files, so give a folder of texts too, not "
                             "%s" % (gold, source))
        pairs = pair_gold_files(gold, source)
    else:
        pairs = [(gold, source)]
    triples = []
    for g, s in pairs:
        gold_doc = _load_json(g)
        if s.suffix == ".json":
            pred = _load_json(s)
        else:
            if extractor is None:
                from .extract import Extractor

                extractor = Extractor()
            from .read import read_document

            pred = extractor.extract_document(read_document(s, doc_id=str(s), date=date)).to_json()
        triples.append((str(g), gold_doc, pred))
    return score_pairs(triples)

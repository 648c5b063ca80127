"""``kg build``: documents in, the graph, a page and a summary out.

Every output file is written atomically, so an interrupted build leaves the previous
output as it was. Files that cannot be read are reported and skipped; the good files
of the same run are kept.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional, Union

from .read import ReadFailure, iter_documents

__all__ = ["build", "BuildReport", "default_inputs", "count_classes"]


def default_inputs() -> list:
    """The sample corpus, the default input of ``kg build``."""
    from .resources import data_dir

    return [data_dir() / "corpus"]


@dataclass
class BuildReport:
    """What a build did: documents read, files that failed, counts, outputs."""

    out: Path
    documents: int = 0
    characters: int = 0
    failures: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    triples: int = 0
    files: list = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {"documents": self.documents, "characters": self.characters,
                "failed": [{"path": f.path, "reason": f.reason} for f in self.failures],
                "triples": self.triples, "counts": self.counts,
                "files": [str(p) for p in self.files], "seconds": round(self.seconds, 3)}


def count_classes(graph) -> dict:
    """Entities by class: extracted (in document graphs) and in the gazetteer."""
    rows = graph.query("""
        PREFIX hh: <https://huaihai-kg.org/ontology#>
        SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
          GRAPH ?doc { ?doc a hh:Document . ?s hh:mentionedIn ?doc }
          ?s a ?class . FILTER(STRSTARTS(STR(?class), STR(hh:)))
        } GROUP BY ?class ORDER BY DESC(?n) ?class""")
    return {r["class"].split("#")[-1]: int(r["n"]) for r in rows}


def _summary_markdown(report: BuildReport) -> str:
    lines = ["# Huaihai KG build", "",
             "- documents: %d (%d characters)" % (report.documents, report.characters),
             "- failed files: %d" % len(report.failures),
             "- triples: %d" % report.triples, "",
             "| class | entities mentioned |", "|---|---:|"]
    lines += ["| %s | %d |" % (k, v) for k, v in report.counts.items()]
    if report.failures:
        lines += ["", "## Files that could not be read", ""]
        lines += ["- %s: %s" % (f.path, f.reason) for f in report.failures]
    return "\n".join(lines) + "\n"


def build(inputs: Optional[Iterable[Union[str, Path]]] = None, out: Union[str, Path] = "build",
          *, date: Optional[str] = None, encoding: Optional[str] = None,
          progress: Optional[Callable] = None, page: bool = True) -> BuildReport:
    """Read, extract and write the graph (``graph.trig``), a page and a summary into ``out``.

    ``progress`` wraps the stream of documents (for a progress bar); ``date`` is the
    publication date of documents that state none.
    """
    from .extract import Extractor
    from .gazetteer import load_gazetteer
    from .graph import KnowledgeGraph
    from .io import write_text_atomic

    started = time.perf_counter()
    out = Path(out)
    inputs = list(inputs) if inputs else default_inputs()
    report = BuildReport(out=out)
    gaz = load_gazetteer()
    graph = KnowledgeGraph()
    extractor = Extractor(gaz)
    stream = iter_documents(inputs, encoding=encoding, date=date)
    if progress is not None:
        stream = progress(stream)
    for item in stream:
        if isinstance(item, ReadFailure):
            report.failures.append(item)
            continue
        graph.add_extraction(extractor.extract_document(item), gazetteer=gaz)
        report.documents += 1
        report.characters += len(item.text)
    report.triples = len(graph)
    report.counts = count_classes(graph)
    report.files.append(graph.save(out / "graph.trig"))
    if page:
        from .view import graph_page

        report.files.append(graph_page(graph, out / "graph.html"))
    report.seconds = time.perf_counter() - started
    report.files.append(write_text_atomic(out / "summary.md", _summary_markdown(report)))
    report.files.append(out / "summary.json")
    write_text_atomic(out / "summary.json",
                      json.dumps(report.to_json(), ensure_ascii=False, indent=1) + "\n")
    return report

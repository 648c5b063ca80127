"""The :class:`KnowledgeGraph` facade: one object over the store, for the CLI and for users.

The store is Oxigraph (pyoxigraph), in memory or on disk. Each source document is a
named graph of its own (``hhr:doc/<sha256[:16]>``), so a document can be removed or
replaced exactly; the ontology and the gazetteer have graphs of their own
(``hhr:graph/ontology``, ``hhr:graph/gazetteer``). Queries see the union of all graphs
as their default graph; ``GRAPH ?doc { ... }`` reaches one document.

>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph()                      # in memory, ontology and gazetteer loaded
>>> g.add_text("徐连高铁连接徐州和连云港。", source="demo.txt")
True
>>> g.add_text("徐连高铁连接徐州和连云港。", source="demo.txt")   # same content: no change
False
>>> [d["source"] for d in g.documents()]
['demo.txt']
>>> g.query("SELECT ?name WHERE { ?city hh:adminCode ?code ; rdfs:label ?name }",
...         {"code": "320300"})
[{'name': '徐州市'}]
>>> g.remove_document("demo.txt")
1
"""
from __future__ import annotations

import functools
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Union

from . import iri
from .errors import InputError, QueryError, StoreError

__all__ = ["KnowledgeGraph", "AddReport", "rdf_format", "BUILD_GRAPHS", "build_graph"]

_FORMATS = {"ttl": "TURTLE", "turtle": "TURTLE", "trig": "TRIG", "nt": "N_TRIPLES",
            "ntriples": "N_TRIPLES", "n-triples": "N_TRIPLES", "nq": "N_QUADS",
            "nquads": "N_QUADS", "n-quads": "N_QUADS", "jsonld": "JSON_LD", "json-ld": "JSON_LD",
            "json": "JSON_LD", "rdf": "RDF_XML", "xml": "RDF_XML", "rdfxml": "RDF_XML",
            "rdf/xml": "RDF_XML", "n3": "N3"}
_ENTITY_SKIP = ("mentionedIn", "status", "capacity")
BUILD_GRAPHS = ("store", "graph.nq", "graph.trig")
"""What a `kg build` output folder may hold, in the order the graph commands read it."""


def build_graph(folder: Union[str, Path]) -> Optional[Path]:
    """The graph a ``kg build`` output folder holds, as the graph commands read it (its
    store, else graph.nq, else graph.trig); None for a store folder itself or a folder
    holding none of them."""
    folder = Path(folder)
    if (folder / "CURRENT").exists():
        return None
    return next((folder / n for n in BUILD_GRAPHS if (folder / n).exists()), None)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rdf_format(path: Union[str, Path, None] = None, format: Optional[str] = None):
    """The pyoxigraph ``RdfFormat`` named by ``format`` or by the suffix of ``path``.

    >>> rdf_format("out/graph.trig").name, rdf_format(format="json-ld").name
    ('TriG', 'JSON-LD')
    """
    import pyoxigraph as ox

    key = (format or (Path(path).suffix.lstrip(".") if path else "")).lower()
    name = _FORMATS.get(key)
    if name is None:
        raise StoreError("unknown RDF format %r; use one of .ttl, .trig, .nt, .nq, .jsonld "
                         "(or --format turtle|trig|nt|nq|jsonld)" % (format or str(path)))
    return getattr(ox.RdfFormat, name)


@functools.lru_cache(maxsize=1)
def _default_base() -> bytes:
    """The ontology and gazetteer graphs as N-Quads, kept in the user's cache (see
    :func:`kg.io.derived`) and read once per process."""
    from .build import _base_prepared

    return b"".join(nq for _, nq, _ in _base_prepared().blocks)


def _base_nquads() -> bytes:
    """The ontology and gazetteer graphs as N-Quads, made from their sources."""
    import pyoxigraph as ox

    from . import rdf
    from .gazetteer import load_gazetteer

    ontology = ox.serialize(rdf.ontology_quads(), format=ox.RdfFormat.N_QUADS)
    return ontology + rdf.gazetteer_nquads(load_gazetteer()).encode("utf-8")


def syntax_message(exc, limit: int = 160) -> str:
    """A parser's error on one line, its long list of expected tokens cut short.

    >>> syntax_message(SyntaxError("error at 1:11: expected one of " + "x, " * 100))
    'error at 1:11: expected one of x, x, x, ...'
    """
    text = " ".join(str(exc).split())
    head, sep, rest = text.partition("expected one of ")
    if sep and len(text) > limit:
        return head + sep + ", ".join(rest.split(", ")[:3]) + ", ..."
    return text if len(text) <= limit else text[:limit] + "..."


def _prefixes() -> dict:
    from .iri import VOCABULARIES

    return dict(VOCABULARIES)


@dataclass
class AddReport:
    """What :meth:`KnowledgeGraph.add_files` did."""

    added: int = 0
    unchanged: int = 0
    failures: list = field(default_factory=list)


class KnowledgeGraph:
    """A dataset of documents' extractions plus the ontology and the gazetteer.

    Parameters
    ----------
    path : str or Path, optional
        Folder of an on-disk Oxigraph store (created if missing). In memory if omitted.
    read_only : bool
        Open an existing on-disk store read-only (several processes may read it at once).
    base : bool
        Load the ontology and gazetteer graphs into a new store (default True). An
        in-memory graph without them (``base=False``) costs a few milliseconds.

    Examples
    --------
    >>> g = KnowledgeGraph(base=False)
    >>> len(g)
    0
    >>> g = KnowledgeGraph()
    >>> g.query("ASK { ?zone rdfs:label '淮海经济区'@zh }")
    True
    """

    def __init__(self, *, path: Union[str, Path, None] = None, read_only: bool = False,
                 base: bool = True):
        import pyoxigraph as ox

        self._ox = ox
        self.path = Path(path) if path else None
        self.read_only = bool(read_only and self.path)
        try:
            if self.path is None:
                self.store = ox.Store()
            elif read_only:
                if not (self.path / "CURRENT").exists():
                    raise StoreError("%s is not an Oxigraph store; run `kg build` or give a "
                                     "graph file" % self.path)
                self.store = ox.Store.read_only(str(self.path))
            else:
                self.store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError("cannot open the store at %s (%s); is another kg process writing "
                             "to it?" % (self.path, exc)) from None
        self._extractor = None
        if base and not self.read_only and not self._has_graph(iri.graph("gazetteer")):
            self.load_base()

    @classmethod
    def open(cls, source: Union[str, Path], *, read_only: bool = True) -> "KnowledgeGraph":
        """Open what ``kg build`` wrote: an on-disk store folder, or an RDF file loaded into memory.

        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.trig"
        >>> _ = KnowledgeGraph().save(path)
        >>> len(KnowledgeGraph.open(path)) == len(KnowledgeGraph())
        True
        """
        source = Path(source)
        if source.is_dir():
            built = build_graph(source)  # `kg build -o build`, then `--graph build`
            if built is not None:
                return cls.open(built, read_only=read_only)
            return cls(path=source, read_only=read_only)
        if not source.exists():
            raise StoreError("%s does not exist; run `kg build` first or give --graph PATH"
                             % source)
        return cls(base=False).load(source)

    def __repr__(self) -> str:
        where = "in memory" if self.path is None else "at %s" % self.path
        return "<KnowledgeGraph %s: %d quads, %d documents>" % (
            where, len(self), len(self.documents()))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        """Flush an on-disk store and let it go (the object is unusable afterwards)."""
        if self.path is not None and not self.read_only and self.store is not None:
            self.store.flush()
        self.store = None

    # -- contents ---------------------------------------------------------------------------
    def _has_graph(self, graph_iri: str) -> bool:
        return self.store.contains_named_graph(self._ox.NamedNode(graph_iri))

    def load_base(self, gazetteer=None) -> None:
        """(Re)load the ontology and gazetteer graphs."""
        from . import rdf

        ox = self._ox
        for name in ("ontology", "gazetteer"):
            g = ox.NamedNode(iri.graph(name))
            if self.store.contains_named_graph(g):
                self.store.remove_graph(g)
        if gazetteer is None:
            self.store.load(_default_base(), format=ox.RdfFormat.N_QUADS, lenient=True)
        else:
            self.store.bulk_extend(rdf.ontology_quads())
            self.store.bulk_extend(rdf.gazetteer_quads(gazetteer))

    def graphs(self) -> list:
        """The IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self.store.named_graphs()
                      if isinstance(g, self._ox.NamedNode))

    def has_document(self, ref) -> bool:
        """Whether a document (by content hash, IRI or source) is in the graph."""
        return bool(self._document_iris(ref))

    def _document_iris(self, ref) -> list:
        """Graph IRIs of the documents ``ref`` names: sha256 (or 8+ hex prefix), IRI, source,
        a Document or an Extraction."""
        ref = getattr(ref, "document", ref)
        if hasattr(ref, "sha256") and hasattr(ref, "text"):
            ref = ref.sha256
        ref = str(ref)
        low = ref.lower()
        if len(low) == 64 and all(c in "0123456789abcdef" for c in low):
            return [iri.document(low)] if self._has_graph(iri.document(low)) else []
        if ref.startswith(iri.BASE + "doc/"):
            return [ref] if self._has_graph(ref) else []
        docs = self.documents()
        hits = [d["iri"] for d in docs if d["source"] == ref]
        if not hits and len(low) >= 8 and all(c in "0123456789abcdef" for c in low):
            hits = [d["iri"] for d in docs if d["sha256"].startswith(low)]
        return hits

    def add_extraction(self, extraction, *, gazetteer=None, replace: bool = False) -> bool:
        """Add one document's extraction as its own named graph.

        Parameters
        ----------
        extraction : kg.model.Extraction
        gazetteer : kg.gazetteer.Gazetteer, optional
            Resolves place names to their codes (default: the project's).
        replace : bool
            Remove first any document with the same content or the same source
            (``Document.id``): a new version of an article replaces the old one.

        Returns
        -------
        bool
            False (and nothing changes) when a document with the same content is
            already there and ``replace`` is false.
        """
        from . import rdf
        from .gazetteer import load_gazetteer

        self._writable()
        doc = extraction.document
        if self.has_document(doc.sha256) and not replace:
            return False
        if replace:
            for g in set(self._document_iris(doc.sha256) + self._document_iris(doc.id)):
                self.store.remove_graph(self._ox.NamedNode(g))
        self.store.extend(rdf.extraction_quads(extraction, gazetteer or load_gazetteer()))
        return True

    def replace_document(self, old, extraction, *, gazetteer=None) -> bool:
        """Remove the document(s) ``old`` names, then add ``extraction``.

        >>> from kg.model import Document, Extraction
        >>> g = KnowledgeGraph(base=False)
        >>> g.add_extraction(Extraction(Document(id="a.txt", text="第一版。")))
        True
        >>> g.replace_document("a.txt", Extraction(Document(id="a.txt", text="第二版。")))
        True
        >>> len(g.documents())
        1
        """
        self._writable()
        for g in self._document_iris(old):
            self.store.remove_graph(self._ox.NamedNode(g))
        return self.add_extraction(extraction, gazetteer=gazetteer, replace=True)

    def remove_document(self, ref) -> int:
        """Remove the documents ``ref`` names (sha256 or its first 8+ hex digits, IRI, source).

        Exactly what the document contributed goes: its graph held its facts, their
        evidence and its own description of the entities it mentions.

        Returns
        -------
        int
            The number of documents removed (0 if none matched).
        """
        self._writable()
        found = self._document_iris(ref)
        for g in found:
            self.store.remove_graph(self._ox.NamedNode(g))
        return len(found)

    def add_quads(self, quads: Iterable) -> None:
        """Add pyoxigraph quads as they are (for a document's graph made elsewhere)."""
        self._writable()
        self.store.bulk_extend(quads)

    def add_text(self, text: str, *, source: str = "text", date: Optional[str] = None,
                 title: Optional[str] = None, publisher: Optional[str] = None,
                 replace: bool = False) -> bool:
        """Extract a text and add it; see :meth:`add_extraction`.

        Title, date and publisher default to what the text states about itself.
        """
        from .metadata import document_metadata
        from .model import Document

        meta = document_metadata(text)
        doc = Document(id=source, text=text, title=title or meta["title"],
                       date=date or meta["date"], publisher=publisher or meta["publisher"])
        return self.add_extraction(self.extractor.extract_document(doc), replace=replace)

    def add_file(self, path: Union[str, Path], *, date: Optional[str] = None,
                 encoding: Optional[str] = None, replace: bool = False) -> bool:
        """Read, extract and add one file (.txt or .html); InputError if it cannot be read."""
        from .read import read_document

        document = read_document(path, doc_id=str(path), encoding=encoding, date=date)
        return self.add_extraction(self.extractor.extract_document(document), replace=replace)

    def add_files(self, inputs: Iterable[Union[str, Path]], *, date: Optional[str] = None,
                  encoding: Optional[str] = None, replace: bool = False) -> AddReport:
        """Add every readable file under ``inputs`` (files and folders); report the rest."""
        from .read import ReadFailure, iter_documents

        report = AddReport()
        for item in iter_documents(list(inputs), encoding=encoding, date=date):
            if isinstance(item, ReadFailure):
                report.failures.append(item)
            elif self.add_extraction(self.extractor.extract_document(item), replace=replace):
                report.added += 1
            else:
                report.unchanged += 1
        return report

    @property
    def extractor(self):
        """The extractor used by :meth:`add_text` and :meth:`add_file` (built on first use)."""
        if self._extractor is None:
            from .extract import Extractor

            self._extractor = Extractor()
        return self._extractor

    def documents(self) -> list:
        """The documents in the graph: ``{"iri", "source", "sha256", "title", "date"}``."""
        rows = self.query("""
            SELECT ?doc ?source ?sha ?title ?date WHERE {
              GRAPH ?doc { ?doc a hh:Document ; hh:sha256 ?sha ; dcterms:source ?source .
                OPTIONAL { ?doc dcterms:title ?title } OPTIONAL { ?doc dcterms:date ?date } }
            } ORDER BY ?source ?doc""")
        return [{"iri": r["doc"], "source": r["source"], "sha256": r["sha"],
                 "title": r.get("title"), "date": r.get("date")} for r in rows]

    def __len__(self) -> int:
        return len(self.store)

    def _writable(self):
        if self.read_only:
            raise StoreError("the store at %s is open read-only; open it with read_only=False "
                             "(no other kg process may have it open)" % self.path)

    # -- SPARQL -----------------------------------------------------------------------------
    def results(self, sparql: str, params: Optional[dict] = None):
        """Run a query; return a :class:`kg.query.Results` holding pyoxigraph terms.

        ``params`` maps variable names to values (strings become plain literals; pass a
        ``pyoxigraph.NamedNode`` or ``rdflib.URIRef`` for an IRI). They are bound by a
        ``VALUES`` block, never by formatting text.
        """
        from .query import Results, bind_values, update_message

        if params:
            sparql = bind_values(sparql, params)
        try:
            result = self.store.query(sparql, use_default_graph_as_union=True,
                                      prefixes=_prefixes())
            return Results.from_oxigraph(result, sparql)
        except SyntaxError as exc:
            # of an update the parser would only say it expected SELECT: name the real mistake
            message = update_message(sparql, "KnowledgeGraph.query", "run it with "
                                     "KnowledgeGraph.update() on a graph not opened read-only")
            raise QueryError(message or "bad SPARQL: %s" % syntax_message(exc)) from None
        except OSError as exc:
            raise StoreError("the store could not answer (%s)" % exc) from None

    def query(self, sparql: str, params: Optional[dict] = None):
        """Run SPARQL over the union of all graphs. The project's prefixes are predeclared.

        Returns
        -------
        list of dict, bool or rdflib.Graph
            SELECT: one dict per row, variable -> plain string (IRI or lexical form),
            unbound variables left out. ASK: a bool. CONSTRUCT/DESCRIBE: an rdflib Graph.

        Examples
        --------
        >>> g = KnowledgeGraph()
        >>> g.query("SELECT ?p WHERE { ?p hh:memberOf ?zone ; hh:adminCode ?c } ORDER BY ?c LIMIT 1")
        [{'p': 'https://huaihai-kg.org/id/place/320300'}]
        >>> len(g.query("CONSTRUCT { ?c hh:adminCode ?code } WHERE { ?c hh:adminCode ?code }",
        ...             {"code": "320300"}))
        1
        """
        res = self.results(sparql, params)
        if res.kind == "ask":
            return res.boolean
        if res.kind == "graph":
            from .namespaces import bind_prefixes

            graph = bind_prefixes(_rdflib_graph((t.subject, t.predicate, t.object)
                                                for t in res.triples))
            return graph
        return res.records()

    def query_named(self, name: str, **params):
        """Run a named query of ``kg/queries`` (see ``kg queries``); rows as dicts.

        >>> g = KnowledgeGraph()
        >>> rows = g.query_named("not-linked-by-hsr", hub="徐州")  # the gazetteer's lines only
        >>> sorted(r["cityLabel"] for r in rows)
        ['临沂市', '宿州市', '淮北市', '菏泽市']
        """
        from .query import run_named

        res = run_named(self, name, params)
        return res.boolean if res.kind == "ask" else res.records()

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update on the store (for maintenance; documents have their own API)."""
        self._writable()
        try:
            self.store.update(sparql, prefixes=_prefixes())
        except SyntaxError as exc:
            raise QueryError("bad SPARQL Update: %s" % syntax_message(exc)) from None

    # -- files ------------------------------------------------------------------------------
    def load(self, path: Union[str, Path], format: Optional[str] = None, *,
             graph: Optional[str] = None) -> "KnowledgeGraph":
        """Load an RDF file: TriG, N-Quads and JSON-LD keep their named graphs; the triples
        of Turtle, N-Triples or RDF/XML go to ``graph`` (an IRI) or the default graph.

        Returns the graph itself, for chaining.
        """
        ox = self._ox
        self._writable()
        path = Path(path)
        fmt = rdf_format(path, format)
        target = ox.NamedNode(graph) if graph else None
        try:
            self.store.bulk_load(path=str(path), format=fmt, to_graph=target)
        except FileNotFoundError:
            raise InputError("%s does not exist; check the path" % path) from None
        except SyntaxError as exc:
            raise InputError("%s is not valid %s: %s" % (path, fmt.name, exc)) from None
        except (OSError, ValueError) as exc:
            raise StoreError("cannot load %s (%s)" % (path, exc)) from None
        return self

    def save(self, path: Union[str, Path], format: Optional[str] = None) -> Path:
        """Write the whole dataset (TriG, N-Quads, JSON-LD) or its union (Turtle, N-Triples).

        The format comes from ``format`` or the suffix. The file is written to a
        temporary name and renamed, so it is never half written.

        >>> import tempfile, pathlib
        >>> out = KnowledgeGraph().save(pathlib.Path(tempfile.mkdtemp()) / "base.nq")
        >>> out.stat().st_size > 1000
        True
        """
        from .io import atomic_path

        path = Path(path)
        fmt = rdf_format(path, format)
        with atomic_path(path) as tmp:
            if fmt.supports_datasets:
                self.store.dump(str(tmp), format=fmt, prefixes=_prefixes()
                                if fmt.name in ("TriG", "JSON-LD") else None)
            else:
                self._dump_union(tmp, fmt)
        return path

    def _dump_union(self, tmp, fmt):
        ox = self._ox
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in self.store}
        ox.serialize(sorted(triples, key=str), str(tmp), format=fmt,
                     prefixes=_prefixes() if fmt.name == "Turtle" else None)

    def save_store(self, path: Union[str, Path]) -> Path:
        """Write the dataset as an on-disk Oxigraph store folder, replacing it whole.

        The store is built in a temporary folder beside ``path`` and renamed into place,
        so readers never see a half-written store.
        """
        ox = self._ox
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in path.parent.glob("." + path.name + ".*.partial"):  # a killed run's
            shutil.rmtree(leftover, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix="." + path.name + ".", suffix=".partial",
                                    dir=path.parent))
        old = None
        try:
            if self.path is not None:
                tmp.rmdir()
                self.store.backup(str(tmp))
            else:
                target = ox.Store(str(tmp))
                target.bulk_extend(iter(self.store))
                target.flush()
                del target
            if path.exists():
                old = Path(tempfile.mkdtemp(prefix="." + path.name + ".", suffix=".partial",
                                            dir=path.parent))
                old.rmdir()
                os.rename(path, old)
            os.rename(tmp, path)
        except OSError as exc:
            raise StoreError("cannot write the store %s (%s)" % (path, exc)) from None
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        return path

    # -- other views ------------------------------------------------------------------------
    def validate(self, **kwargs):
        """Check the graph against ``ontology/shapes.ttl``; see :func:`kg.validate.validate`.

        >>> KnowledgeGraph().validate().conforms
        True
        """
        from .validate import validate

        return validate(self, **kwargs)

    def to_networkx(self, *, documents_only: bool = False):
        """Entities and the links between them as a ``networkx.MultiDiGraph``.

        Nodes are IRIs with ``label`` (Chinese name) and ``class`` (most specific ``hh:``
        class, e.g. ``HighSpeedRail``); each distinct statement ``s hh:p o`` between two
        resources is one edge with ``relation`` (``connects``...) and ``documents`` (the
        graphs of documents that state it; empty for gazetteer facts).

        Parameters
        ----------
        documents_only : bool
            Keep only statements some document makes (leave out gazetteer background).

        Examples
        --------
        >>> g = KnowledgeGraph()
        >>> nx_graph = g.to_networkx()
        >>> nx_graph.nodes["https://huaihai-kg.org/id/place/320300"]["label"]
        '徐州市'
        """
        import networkx as nx

        rows = self.query("""
            SELECT ?s ?p ?o ?g WHERE {
              GRAPH ?g { ?s ?p ?o }
              FILTER(isIRI(?o) && STRSTARTS(STR(?p), STR(hh:)) && STRSTARTS(STR(?s), STR(hhr:))
                     && STRSTARTS(STR(?o), STR(hhr:))
                     && ?g != <https://huaihai-kg.org/id/graph/ontology>)
            }""")
        edges: dict = {}
        doc_prefix = iri.BASE + "doc/"
        for r in rows:
            rel = r["p"].rsplit("#", 1)[-1]
            if rel in _ENTITY_SKIP or r["o"].startswith(doc_prefix):
                continue
            docs = edges.setdefault((r["s"], rel, r["o"]), [])
            if r["g"].startswith(doc_prefix):
                docs.append(r["g"])
        if documents_only:
            edges = {k: v for k, v in edges.items() if v}
        labels, classes = self._labels_and_classes()
        out = nx.MultiDiGraph()
        for (s, rel, o), docs in sorted(edges.items()):
            for n in (s, o):
                if n not in out:
                    out.add_node(n, label=labels.get(n, n.rsplit("/", 1)[-1]),
                                 **{"class": classes.get(n, "")})
            out.add_edge(s, o, key=rel, relation=rel, documents=sorted(set(docs)))
        return out

    def _labels_and_classes(self) -> tuple:
        depth = {r["c"]: int(r["d"]) for r in self.query("""
            SELECT ?c (COUNT(DISTINCT ?sup) AS ?d) WHERE {
              ?c a owl:Class . FILTER(STRSTARTS(STR(?c), STR(hh:)))
              OPTIONAL { ?c rdfs:subClassOf+ ?sup } } GROUP BY ?c""")}
        classes: dict = {}
        for r in self.query("SELECT ?s ?c WHERE { ?s a ?c FILTER(STRSTARTS(STR(?c), STR(hh:)) "
                            "&& STRSTARTS(STR(?s), STR(hhr:))) }"):
            best = classes.get(r["s"])
            if best is None or depth.get(r["c"], 0) > depth.get(best, 0) or (
                    depth.get(r["c"], 0) == depth.get(best, 0) and r["c"] < best):
                classes[r["s"]] = r["c"]
        labels: dict = {}
        for r in self.query("""SELECT ?s ?l ?pref WHERE {
              { ?s skos:prefLabel ?l BIND(0 AS ?pref) } UNION { ?s rdfs:label ?l BIND(1 AS ?pref) }
              FILTER(lang(?l) = "zh" && STRSTARTS(STR(?s), STR(hhr:))) }
              ORDER BY ?s DESC(?pref) DESC(?l)"""):
            labels[r["s"]] = r["l"]
        return labels, {k: v.rsplit("#", 1)[-1] for k, v in classes.items()}

    def view(self, path: Union[str, Path]) -> Path:
        """Write an HTML page of the graph (see :mod:`kg.view`); return its path."""
        from .view import graph_page

        return graph_page(self, path)

    def rdflib(self, *, union: bool = False):
        """A copy of the data as rdflib objects: the escape hatch to rdflib's API.

        Returns an ``rdflib.Dataset`` with the named graphs (``default_union`` set, so its
        SPARQL sees all of them), or with ``union=True`` a plain ``rdflib.Graph`` of all
        triples. Changes to the copy do not reach the store.

        >>> ds = KnowledgeGraph().rdflib()
        >>> sorted(str(c.identifier).rsplit("/", 1)[-1] for c in ds.graphs() if len(c))
        ['gazetteer', 'ontology']
        """
        import rdflib

        from .namespaces import bind_prefixes

        if union:
            return bind_prefixes(_rdflib_graph((q.subject, q.predicate, q.object)
                                               for q in self.store))
        ds = rdflib.Dataset(default_union=True)
        conv, contexts = _Converter(), {}
        for q in self.store:
            g = q.graph_name
            key = None if isinstance(g, self._ox.DefaultGraph) else g.value
            ctx = contexts.get(key)
            if ctx is None:
                ctx = contexts[key] = ds.default_context if key is None else ds.graph(conv(g))
            ctx.add((conv(q.subject), conv(q.predicate), conv(q.object)))
        return bind_prefixes(ds)


class _Converter:
    """pyoxigraph terms -> rdflib terms, caching IRIs."""

    def __init__(self):
        import pyoxigraph as ox
        from rdflib import BNode, Literal, URIRef

        self.ox, self.URIRef, self.BNode, self.Literal = ox, URIRef, BNode, Literal
        self.cache: dict = {}

    def __call__(self, term):
        ox = self.ox
        if isinstance(term, ox.NamedNode):
            v = self.cache.get(term.value)
            if v is None:
                v = self.cache[term.value] = self.URIRef(term.value)
            return v
        if isinstance(term, ox.BlankNode):
            return self.BNode(term.value)
        if isinstance(term, ox.Literal):
            if term.language:
                return self.Literal(term.value, lang=term.language)
            if term.datatype.value == _XSD_STRING:  # rdflib tells "x" from "x"^^xsd:string
                return self.Literal(term.value)
            return self.Literal(term.value, datatype=self(term.datatype))
        raise TypeError("cannot convert %r to rdflib" % (term,))


def _rdflib_graph(triples):
    import rdflib

    g = rdflib.Graph()
    conv = _Converter()
    for s, p, o in triples:
        g.add((conv(s), conv(p), conv(o)))
    return g

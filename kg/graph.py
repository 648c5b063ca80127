"""The :class:`KnowledgeGraph` facade: one object over the store, for the CLI and for users.

The store is Oxigraph (pyoxigraph), in memory or on disk. Each source document is a
named graph of its own; the ontology and the gazetteer have theirs.

>>> from kg import KnowledgeGraph
>>> g = KnowledgeGraph()                      # in memory, ontology and gazetteer loaded
>>> g.add_text("徐连高铁连接徐州和连云港。", source="demo.txt")
True
>>> g.add_text("徐连高铁连接徐州和连云港。", source="demo.txt")   # same content: no change
False
>>> [d["source"] for d in g.documents()]
['demo.txt']
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional, Union

from . import iri
from .errors import StoreError

__all__ = ["KnowledgeGraph"]

_FORMATS = {".ttl": "TURTLE", ".trig": "TRIG", ".nt": "N_TRIPLES", ".nq": "N_QUADS",
            ".jsonld": "JSON_LD", ".rdf": "RDF_XML", ".xml": "RDF_XML"}


class KnowledgeGraph:
    """A dataset of documents' extractions plus the ontology and the gazetteer.

    Parameters
    ----------
    path : str or Path, optional
        Folder of an on-disk Oxigraph store (created if missing). In memory if omitted.
    read_only : bool
        Open an existing on-disk store read-only (several readers may share it).
    base : bool
        Load the ontology and gazetteer graphs into a new store (default True).
    """

    def __init__(self, *, path: Union[str, Path, None] = None, read_only: bool = False,
                 base: bool = True):
        import pyoxigraph as ox

        self._ox = ox
        self.path = Path(path) if path else None
        try:
            if self.path is None:
                self.store = ox.Store()
            elif read_only:
                self.store = ox.Store.read_only(str(self.path))
            else:
                self.store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError("cannot open the store at %s (%s); is another kg process using "
                             "it?" % (self.path, exc)) from None
        self._extractor = None
        if base and not read_only and not self._has_graph(iri.graph("gazetteer")):
            self.load_base()

    # -- contents ---------------------------------------------------------------
    def _has_graph(self, graph_iri: str) -> bool:
        return self.store.contains_named_graph(self._ox.NamedNode(graph_iri))

    def load_base(self, gazetteer=None) -> None:
        """(Re)load the ontology and gazetteer graphs."""
        from . import rdf
        from .gazetteer import load_gazetteer

        ox = self._ox
        for name in ("ontology", "gazetteer"):
            g = ox.NamedNode(iri.graph(name))
            if self.store.contains_named_graph(g):
                self.store.remove_graph(g)
        self.store.bulk_extend(rdf.ontology_quads())
        self.store.bulk_extend(rdf.gazetteer_quads(gazetteer or load_gazetteer()))

    def has_document(self, sha256: str) -> bool:
        """Whether a document with this content hash is in the graph."""
        return self._has_graph(iri.document(sha256))

    def add_extraction(self, extraction, *, gazetteer=None, replace: bool = False) -> bool:
        """Add one document's extraction as its own named graph.

        Returns False (and changes nothing) when a document with the same content is
        already there, unless ``replace`` is true.
        """
        from . import rdf
        from .gazetteer import load_gazetteer

        sha = extraction.document.sha256
        if self.has_document(sha):
            if not replace:
                return False
            self.store.remove_graph(self._ox.NamedNode(iri.document(sha)))
        self.store.bulk_extend(rdf.extraction_quads(extraction, gazetteer or load_gazetteer()))
        return True

    def add_quads(self, quads: Iterable) -> None:
        """Add pyoxigraph quads as they are (for a document's graph made elsewhere)."""
        self.store.bulk_extend(quads)

    def add_text(self, text: str, *, source: str = "text", date: Optional[str] = None,
                 replace: bool = False) -> bool:
        """Extract a text and add it; see :meth:`add_extraction`."""
        from .metadata import document_metadata
        from .model import Document

        meta = document_metadata(text)
        doc = Document(id=source, text=text, title=meta["title"], date=date or meta["date"],
                       publisher=meta["publisher"])
        return self.add_extraction(self.extractor.extract_document(doc), replace=replace)

    @property
    def extractor(self):
        if self._extractor is None:
            from .extract import Extractor

            self._extractor = Extractor()
        return self._extractor

    def documents(self) -> list:
        """The documents in the graph: ``{"iri", "source", "sha256", "title", "date"}``."""
        rows = self.query("""
            PREFIX hh: <https://huaihai-kg.org/ontology#>
            PREFIX dcterms: <http://purl.org/dc/terms/>
            SELECT ?doc ?source ?sha ?title ?date WHERE {
              GRAPH ?doc { ?doc a hh:Document ; hh:sha256 ?sha ; dcterms:source ?source .
                OPTIONAL { ?doc dcterms:title ?title } OPTIONAL { ?doc dcterms:date ?date } }
            } ORDER BY ?source""")
        return [{"iri": r["doc"], "source": r["source"], "sha256": r["sha"],
                 "title": r.get("title"), "date": r.get("date")} for r in rows]

    def __len__(self) -> int:
        return len(self.store)

    # -- SPARQL -----------------------------------------------------------------
    def query(self, sparql: str, bindings: Optional[dict] = None) -> list:
        """Run a SELECT query over the union of all graphs; rows as dicts of plain values."""
        ox = self._ox
        try:
            result = self.store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            from .errors import QueryError

            raise QueryError("bad SPARQL: %s" % exc) from None
        if isinstance(result, bool):
            return [{"result": result}]
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("query() runs SELECT and ASK; use construct() for graphs")
        names = [v.value for v in result.variables]
        rows = []
        for sol in result:
            row = {}
            for n in names:
                term = sol[n]
                if term is not None:
                    row[n] = term.value
            rows.append(row)
        return rows

    # -- files ------------------------------------------------------------------
    def save(self, path: Union[str, Path], format: Optional[str] = None) -> Path:
        """Write the whole dataset (TriG, N-Quads) or its union (Turtle, N-Triples, JSON-LD).

        The file is written to a temporary name and renamed, so it is never half written.
        """
        from .io import atomic_path

        path = Path(path)
        fmt = getattr(self._ox.RdfFormat, format or _FORMATS.get(path.suffix.lower(), "TRIG"))
        with atomic_path(path) as tmp:
            if fmt.supports_datasets:
                self.store.dump(str(tmp), format=fmt)
            else:
                self._dump_union(tmp, fmt)
        return path

    def _dump_union(self, tmp, fmt):
        ox = self._ox
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in self.store}
        ox.serialize(sorted(triples, key=str), str(tmp), format=fmt)

"""SPARQL for analysts: named queries, safe parameters, results as tables, CSV, TSV or JSON.

Named queries live in ``kg/queries/*.rq``. Each starts with a header of comments: the
first line is the title, the next lines say what the query answers, and one line per
parameter reads ``# param: NAME (KIND) — description (default VALUE)`` (or
``(optional)``: left unbound, the parameter matches anything). KIND says how a value
written on the command line becomes an RDF term:

``place``
    a Chinese name (``徐州``, ``徐州市``, ``彭城``), a six-digit GB/T 2260 code or an IRI,
    resolved through the labels in the graph;
``entity``
    any resource by its label or IRI (``徐连高铁``);
``class`` / ``property``
    an ontology term by local name (``HighSpeedRail``, ``connects``) or Chinese label;
``document``
    a document by SHA-256 (or its first 8+ hex digits), IRI or source path;
``string``, ``integer``, ``decimal``, ``date``, ``iri``
    a literal of that type, or an IRI.

Values are bound by a ``VALUES`` block of RDF terms made with pyoxigraph's term
constructors, which escape them: a value is data, never query text. The block opens the
query's WHERE group and that of every sub-select using the variable. A line ending in
``# if NAME`` is kept only when parameter NAME is given: the patterns of an optional filter
cost nothing when it is absent (``FILTER(!BOUND(?x) || EXISTS {...})`` would make Oxigraph
test every row).

The default graph is the union of all graphs; Oxigraph's union keeps duplicates (a triple
stated by two documents is seen twice), so the named queries use DISTINCT, COUNT(DISTINCT)
or a sub-select grouped by the counted thing.

>>> q = load_query("places-linked-to-city")
>>> q.title
'Places linked to a city, by mode'
>>> [(p.name, p.kind, p.default) for p in q.params]
[('city', 'place', '徐州'), ('mode', 'class', None)]
>>> import pyoxigraph as ox
>>> print(bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": ox.Literal('徐州" } ; DROP ALL ; #')}))
SELECT ?s WHERE { VALUES (?o) { ("徐州\\" } ; DROP ALL ; #") } ?s ?p ?o }
>>> print(format_table(["城市", "n"], [["徐州", "12"], ["连云港", "3"]]))
城市    n
------  --
徐州    12
连云港   3
(2 rows)
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as _dt
import functools
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

from .errors import InputError, QueryError, ServerError

__all__ = ["NamedQuery", "Param", "Results", "RemoteEndpoint", "list_queries", "load_query",
           "parse_header", "bind_values", "to_term", "resolve_param", "resolve_name",
           "best_matches", "place_rank", "run_named", "run_text", "execute", "update_keyword",
           "update_message", "format_results", "format_table", "display_width",
           "compact_iri", "FORMATS"]

FORMATS = ("table", "csv", "tsv", "json")
"""Output formats of :func:`format_results`."""

XSD = "http://www.w3.org/2001/XMLSchema#"
HH = "https://huaihai-kg.org/ontology#"
HHR = "https://huaihai-kg.org/id/"
_NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "long", "int", "short",
                              "nonNegativeInteger", "positiveInteger", "unsignedInt")}
_KINDS = ("place", "entity", "class", "property", "document", "string", "integer", "decimal",
          "date", "iri", "term")
_PARAM_LINE = re.compile(
    r"^#\s*param:\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<kind>[a-z]+)\))?\s*"
    r"(?:[—–-]+\s*(?P<desc>.*))?$")
_DEFAULT = re.compile(r"\((?:default[:\s]\s*(?P<default>[^()]*)|(?P<optional>optional))\)\s*$")


# -- named queries ---------------------------------------------------------------------------

@dataclass
class Param:
    """One parameter of a named query, as its header declares it."""

    name: str
    kind: str = "term"
    description: str = ""
    default: Optional[str] = None
    optional: bool = False

    @property
    def required(self) -> bool:
        return self.default is None and not self.optional


@dataclass
class NamedQuery:
    """A query of ``kg/queries``: its name, title, description, parameters and text."""

    name: str
    title: str
    description: str
    params: list = field(default_factory=list)
    text: str = ""
    path: Optional[Path] = None

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise QueryError("query %r has no parameter %r; it takes: %s"
                         % (self.name, name, ", ".join(p.name for p in self.params) or "none"))


def parse_header(text: str) -> tuple:
    """The title, description and parameters from the leading ``#`` lines of a query.

    >>> title, desc, params = parse_header('''# Projects in a city
    ... # Which projects are located in a city?
    ... # param: city (place) — the city (default 徐州)
    ... SELECT * {}''')
    >>> title, desc, params[0].name, params[0].default
    ('Projects in a city', 'Which projects are located in a city?', 'city', '徐州')
    """
    title, lines, params = "", [], []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            if title:
                continue
            continue
        if not line.startswith("#"):
            break
        m = _PARAM_LINE.match(line)
        if m:
            desc = (m["desc"] or "").strip()
            d = _DEFAULT.search(desc)
            default, optional = None, False
            if d:
                desc = desc[:d.start()].rstrip()
                default = d["default"].strip() if d["default"] is not None else None
                optional = d["optional"] is not None or default in ("", "none", "any")
                if optional:
                    default = None
            kind = m["kind"] or "term"
            if kind not in _KINDS:
                raise QueryError("parameter %r has an unknown kind %r; use one of %s"
                                 % (m["name"], kind, ", ".join(_KINDS)))
            params.append(Param(m["name"], kind, desc, default, optional))
            continue
        body = line.lstrip("#").strip()
        if not title:
            title = body
        elif body and not params:
            lines.append(body)
    return title, " ".join(lines), params


def _queries_dir() -> Path:
    from .resources import queries_dir

    return queries_dir()


def list_queries(folder: Union[str, Path, None] = None) -> list:
    """Every named query, sorted by name.

    >>> len(list_queries()) >= 12
    True
    """
    folder = Path(folder) if folder else _queries_dir()
    return [load_query(p) for p in sorted(folder.glob("*.rq"))]


def _looks_like_path(name: str) -> bool:
    """Whether ``name`` was meant as a file rather than a named query (``mine.rq``, ``q/x``)."""
    return any(sep in name for sep in ("/", "\\")) or name.endswith((".rq", ".sparql"))


def load_query(name: Union[str, Path]) -> NamedQuery:
    """A named query by name (``places-linked-to-city``) or a path to an ``.rq`` file."""
    path = Path(name)
    if not path.exists() and _looks_like_path(str(name)):
        # a missing file named as a path is a wrong path, not a misspelt query name
        raise InputError("%s does not exist; check the path (`kg queries` lists the named "
                         "queries)" % name)
    if not (path.suffix == ".rq" and path.exists()):
        key = str(name).replace("_", "-")
        path = _queries_dir() / (key + ".rq")
        if not path.exists():
            names = sorted(p.stem for p in _queries_dir().glob("*.rq"))
            close = [n for n in names if key in n or n in key]
            raise QueryError("no named query %r%s; `kg queries` lists them: %s"
                             % (str(name), " (did you mean %s?)" % " or ".join(close)
                                if close else "", ", ".join(names)))
    try:
        # utf-8-sig: editors that save "UTF-8" on Windows put a BOM first, which is no SPARQL
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("%s is not UTF-8 text (byte %d); save the query as UTF-8"
                         % (path, exc.start)) from None
    except OSError as exc:
        raise QueryError("cannot read %s (%s)" % (path, exc.strerror)) from None
    title, desc, params = _parsed_header(text)
    return NamedQuery(path.stem, title or path.stem, desc, [dataclasses.replace(p) for p in params],
                      text, path)


@functools.lru_cache(maxsize=256)
def _parsed_header(text: str) -> tuple:
    title, desc, params = parse_header(text)
    return title, desc, tuple(params)


# -- binding values --------------------------------------------------------------------------

def _ox():
    import pyoxigraph

    return pyoxigraph


def to_term(value):
    """A Python value as a pyoxigraph term (strings become plain literals, never IRIs).

    >>> str(to_term("徐州")), str(to_term(3)), str(to_term(Decimal("8e9")))
    ('"徐州"', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>', '"8000000000"^^<http://www.w3.org/2001/XMLSchema#decimal>')
    >>> from rdflib import URIRef
    >>> str(to_term(URIRef("https://huaihai-kg.org/id/place/320300")))
    '<https://huaihai-kg.org/id/place/320300>'
    """
    ox = _ox()
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, bool) or isinstance(value, (int, float)):
        return ox.Literal(value)
    if isinstance(value, Decimal):
        return ox.Literal(format(value, "f"), datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, _dt.datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))
    if isinstance(value, _dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    try:
        from rdflib.term import BNode, Literal, URIRef
    except ImportError:  # pragma: no cover
        URIRef = Literal = BNode = ()
    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, BNode):
        raise QueryError("a blank node cannot be a query parameter; use an IRI")
    if isinstance(value, Literal):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        if value.datatype:
            return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
        return ox.Literal(str(value))
    if isinstance(value, str):
        return ox.Literal(value)
    raise QueryError("cannot use a %s as a query parameter; give a string, number, date or "
                     "an RDF term" % type(value).__name__)


def _scan(sparql: str):
    """Yield (index, token, depth) for braces and the SELECT and WHERE keywords, skipping
    strings, IRIs, variables and comments. ``depth`` is the brace depth outside the token."""
    i, n, depth = 0, len(sparql), 0
    iri = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
    word = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
    while i < n:
        c = sparql[i]
        if c == "#":
            j = sparql.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c in "\"'":
            quote = c * 3 if sparql.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not sparql.startswith(quote, j):
                j += 2 if sparql[j] == "\\" else 1
            i = j + len(quote)
            continue
        if c == "<":
            m = iri.match(sparql, i)
            i = m.end() if m else i + 1
            continue
        if c in "?$":
            m = word.match(sparql, i + 1)
            i = m.end() if m else i + 1
            continue
        if c == "{":
            yield i, "{", depth
            depth += 1
        elif c == "}":
            depth -= 1
            yield i, "}", depth
        elif c.isalpha() or c == "_":
            m = word.match(sparql, i)
            w = m.group(0).upper()
            prefixed = m.end() < n and sparql[m.end()] == ":"
            if w in ("WHERE", "SELECT") and not prefixed and (i == 0 or sparql[i - 1] != ":"):
                yield i, w, depth
            i = m.end()
            continue
        i += 1


def _groups(sparql: str) -> list:
    """(open, close) indexes of the WHERE groups: the query's own, then each sub-select's."""
    tokens = list(_scan(sparql))

    def group_after(k: int, depth: int):
        for j in range(k, len(tokens)):
            i, token, d = tokens[j]
            if token == "{" and d == depth:
                for i2, token2, d2 in tokens[j + 1:]:
                    if token2 == "}" and d2 == depth:
                        return i, i2
                return i, len(sparql)
            if token in ("{", "}") and d < depth:
                return None
        return None

    top = next((k for k, (_, t, d) in enumerate(tokens) if t == "WHERE" and d == 0), 0)
    first = group_after(top, 0)
    if first is None:
        raise QueryError("the query has no WHERE group to bind parameters in")
    out = [first]
    for k, (_, token, depth) in enumerate(tokens):
        if token == "SELECT" and depth > 0:
            found = group_after(k, depth)
            if found:
                out.append(found)
    return out


_CONDITION = re.compile(r"#\s*if\s+([A-Za-z_][A-Za-z0-9_]*)\s*$")


def bind_values(sparql: str, bindings: dict) -> str:
    """The query with its parameters bound: a ``VALUES`` block of RDF terms opens the
    WHERE group, and the group of each sub-select that uses the variable.

    ``bindings`` maps variable names to values (see :func:`to_term`); a value of None
    leaves the variable unbound. Terms are written in N-Triples syntax by pyoxigraph,
    which escapes quotes, backslashes and line breaks, so no value can change the
    query's structure. A line of the query ending in ``# if NAME`` is kept only when
    ``NAME`` is bound (for the patterns of an optional parameter).

    >>> import pyoxigraph as ox
    >>> bind_values("SELECT * { ?s ?p ?o }", {"s": ox.NamedNode("http://example.org/a"), "p": None})
    'SELECT * { VALUES (?s) { (<http://example.org/a>) } ?s ?p ?o }'
    >>> print(bind_values("SELECT * {\\n  ?s ?p ?o .\\n  ?s ?q ?city .  # if city\\n}", {}))
    SELECT * {
      ?s ?p ?o .
    }
    >>> print(bind_values("SELECT * { { SELECT ?s WHERE { ?s ?p ?x } } ?s ?q ?o }", {"x": 1}))
    SELECT * { VALUES (?x) { ("1"^^<http://www.w3.org/2001/XMLSchema#integer>) } { SELECT ?s WHERE { VALUES (?x) { ("1"^^<http://www.w3.org/2001/XMLSchema#integer>) } ?s ?p ?x } } ?s ?q ?o }
    """
    items = [(k, to_term(v)) for k, v in bindings.items() if v is not None]
    bound = {k for k, _ in items}
    lines = sparql.split("\n")
    kept = [ln for ln in lines
            if not (_CONDITION.search(ln) and _CONDITION.search(ln).group(1) not in bound)]
    if len(kept) != len(lines):
        sparql = "\n".join(kept)
    if not items:
        return sparql
    for k, _ in items:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k):
            raise QueryError("%r is not a variable name; use letters, digits and _" % k)
    inserts = []
    for n, (start, end) in enumerate(_groups(sparql)):
        body = sparql[start:end]
        used = [(k, t) for k, t in items
                if n == 0 or re.search(r"[?$]%s\b" % re.escape(k), body)]
        if used:
            inserts.append((start + 1, " VALUES (%s) { (%s) }" % (
                " ".join("?" + k for k, _ in used), " ".join(str(t) for _, t in used))))
    for at, block in sorted(inserts, reverse=True):
        sparql = sparql[:at] + block + sparql[at:]
    return sparql


# -- resolving parameters ----------------------------------------------------------------------

_PREFIXES_SPARQL = """PREFIX hh: <https://huaihai-kg.org/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
_PLACE_RANK = {HH + "City": 0, HH + "Province": 1, HH + "Region": 2, HH + "County": 3}
_ABBREVIATION = 2   # the ``how`` of a match on hh:abbreviation, see _lookup_labels


def _expand(value: str) -> Optional[str]:
    """An IRI written as ``<...>``, ``http(s)://...`` or ``prefix:local``, else None."""
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        return v[1:-1]
    if re.match(r"^https?://", v):
        return v
    m = re.match(r"^([a-z][a-z0-9]*):(\S+)$", v)
    if m:
        from .iri import VOCABULARIES

        if m[1] in VOCABULARIES:
            return VOCABULARIES[m[1]] + m[2]
    return None


def _named_node(iri: str, param: str):
    try:
        return _ox().NamedNode(iri)
    except ValueError as exc:
        raise QueryError("parameter %s: %r is not a valid IRI (%s)" % (param, iri, exc)) from None


def _label_candidates(name: str) -> list:
    from .iri import normalise_name

    ox = _ox()
    out = []
    for n in dict.fromkeys([name, name.strip(), normalise_name(name)]):
        for lang in ("zh", "en", None):
            out.append(ox.Literal(n, language=lang) if lang else ox.Literal(n))
    return out


def _lookup_labels(source, name: str, extra: str = "") -> list:
    """(iri, how, classes) for resources called ``name``: how 0 = a preferred label, 1 = an
    alternative label, 2 (:data:`_ABBREVIATION`) = a one-character abbreviation (宿, 徐)."""
    # the VALUES block holds pyoxigraph terms only, written (and escaped) by pyoxigraph
    text = _PREFIXES_SPARQL + """
SELECT ?s (MIN(?how) AS ?h) (GROUP_CONCAT(DISTINCT STR(?class); separator=" ") AS ?classes)
WHERE {
  VALUES ?name { %s }
  { ?s rdfs:label|skos:prefLabel ?name BIND(0 AS ?how) }
  UNION { ?s skos:altLabel ?name BIND(1 AS ?how) }
  UNION { ?s hh:abbreviation ?name BIND(2 AS ?how) }
  OPTIONAL { ?s a ?class }
  %s
} GROUP BY ?s""" % (" ".join(str(t) for t in _label_candidates(name)), extra)
    rows = []
    for row in execute(source, text).records():
        if "s" in row:
            rows.append((row["s"], int(row.get("h", 1)), row.get("classes", "").split()))
    seen, out = set(), []
    for r in sorted(rows, key=lambda r: (r[1], r[0])):
        if r[0] not in seen:
            seen.add(r[0])
            out.append(r)
    return out


def best_matches(found: list, rank) -> list:
    """The candidates a name means equally well, from ``found`` rows ``(id, how, classes)``.

    The best ``how`` wins (a preferred label, then an alternative one, then an abbreviation),
    then the lowest ``rank(classes)``. The readings of a one-character abbreviation are not
    ranked: 宿 is 宿迁 as much as 宿州, 苏 江苏 as much as 苏州.

    >>> best_matches([("a", 1, ["x"]), ("b", 0, ["y"]), ("c", 0, ["z"])], len)
    ['b', 'c']
    >>> best_matches([("a", 0, ["x"]), ("b", 0, ["y", "z"])], len)
    ['a']
    """
    if not found:
        return []
    scored = sorted((r[1], rank(r[2]) if r[1] < _ABBREVIATION else 0, r[0]) for r in found)
    return [s[2] for s in scored if s[:2] == scored[0][:2]]


def place_rank(classes) -> int:
    """How readily a name means a thing of these classes when read as a place: a city (0)
    before a province, a region, a county (3), anything else (4) and what has no class (5)."""
    return min([_PLACE_RANK.get(c, 4) for c in classes] or [5])


def _pick(name: str, what: str, found: list, rank) -> str:
    best = best_matches(found, rank)
    if len(best) > 1:
        raise _ambiguous(what, name, best)
    return best[0] if best else ""


def _ambiguous(what: str, name: str, iris: list) -> QueryError:
    """The error of a name that means several things equally well (the first six listed)."""
    return QueryError("%s: %r names %d things: %s; give one of these IRIs instead"
                      % (what, name, len(iris), ", ".join(iris[:6])))


def resolve_name(source, name: str, kind: str = "place", what: str = "name") -> str:
    """The IRI of the one thing ``name`` means in ``source``, or "" when nothing is called so.

    ``name`` is an IRI, a label, an alias or a one-character abbreviation (or, for a
    ``place``, a six-digit code or a name without its 市/省). A ``place`` name prefers a city
    to a province, a region or a county (then any other entity); an ``entity`` name, a
    thing of the ontology's classes to anything else. ``what`` starts the error message.

    Raises
    ------
    QueryError
        When ``name`` names several things equally well; the message lists them.
    """
    text = str(name).strip()
    iri = _expand(text)
    if iri is not None:
        return iri
    if kind == "place" and re.fullmatch(r"\d{6}", text):
        return HHR + "place/" + text
    found = _lookup_labels(source, text)
    if kind == "place" and not found:
        for suffix in ("市", "省"):
            found = found or _lookup_labels(source, text + suffix)
    if kind == "place":
        found = [f for f in found if any(c in _PLACE_RANK or c.startswith(HH) for c in f[2])]
        rank = place_rank
    else:
        def rank(classes):
            return 0 if any(c.startswith(HH) for c in classes) else 1
    return _pick(text, what, found, rank)


def resolve_param(source, param: Param, value: str):
    """The RDF term a command-line value stands for, looked up in ``source`` when needed.

    ``source`` is a :class:`~kg.graph.KnowledgeGraph` or a :class:`RemoteEndpoint`.
    Raises :class:`~kg.errors.QueryError` when a name matches nothing, or several
    things equally well.
    """
    ox = _ox()
    kind, text = param.kind, str(value).strip()
    if kind == "string" or (kind == "term" and _expand(text) is None):
        return ox.Literal(str(value))
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", text):
            raise QueryError("parameter %s: %r is not a whole number" % (param.name, value))
        return ox.Literal(int(text))
    if kind == "decimal":
        try:
            return to_term(Decimal(text))
        except InvalidOperation:
            raise QueryError("parameter %s: %r is not a number" % (param.name, value)) from None
    if kind == "date":
        from .metadata import is_date

        if not is_date(text):  # (2021-13 or 2021-02-30 would compare as strings)
            raise QueryError("parameter %s: %r is not a date; write 2021, 2021-02 or 2021-02-08"
                             % (param.name, value))
        dtype = {4: "gYear", 7: "gYearMonth", 10: "date"}[len(text)]
        return ox.Literal(text, datatype=ox.NamedNode(XSD + dtype))
    iri = _expand(text)
    if iri is not None:
        return _named_node(iri, param.name)
    if kind == "iri":
        raise QueryError("parameter %s: %r is not an IRI; write <https://...> or a prefixed "
                         "name such as hhr:place/320300" % (param.name, value))
    if kind in ("class", "property"):
        local = HH + text
        test = _PREFIXES_SPARQL + "ASK { VALUES ?t { %s } ?t a ?k }" % str(_named_node(local,
                                                                                    param.name))
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", text) and execute(source, test).boolean:
            return ox.NamedNode(local)
        wanted = "owl:Class" if kind == "class" else "owl:ObjectProperty"
        found = _lookup_labels(source, text, "FILTER EXISTS { ?s a %s }" % wanted)
        if not found and kind == "property":
            found = _lookup_labels(source, text, "FILTER EXISTS { ?s a owl:DatatypeProperty }")
        iri = _pick(text, "parameter " + param.name, found, lambda classes: 0)
        if not iri:
            raise QueryError("parameter %s: no %s named %r in the ontology; use a local name "
                             "such as %s" % (param.name, kind, text, "HighSpeedRail"
                                             if kind == "class" else "connects"))
        return ox.NamedNode(iri)
    if kind == "document":
        return ox.NamedNode(_resolve_document(source, param.name, text))
    iri = resolve_name(source, text, kind, "parameter " + param.name)
    if not iri:
        raise QueryError("parameter %s: nothing in the graph is called %r; `kg query search "
                         "--param text=%s` finds names that contain it"
                         % (param.name, text, text[:2]))
    return ox.NamedNode(iri)


def _is_path_to(path: str, source: str) -> bool:
    """Whether ``path`` (as a user typed it) names the file a document's ``source`` names.

    ``kg build`` records a document's source as its folder and file
    (``corpus/001_xulian_hsr_opening.txt`` for ``kg build data/corpus``); the path the user
    built with, relative or absolute, ends with it.

    >>> _is_path_to("data/corpus/001.txt", "corpus/001.txt")
    True
    >>> _is_path_to("data/xcorpus/001.txt", "corpus/001.txt")
    False
    """
    path = path.replace("\\", "/")
    return path == source or path.endswith("/" + source)


def _resolve_document(source, name: str, text: str) -> str:
    # the usual case, a source path as `kg query documents` shows it: one indexed lookup
    exact = _PREFIXES_SPARQL + """SELECT DISTINCT ?doc WHERE {
      GRAPH ?doc { ?doc dcterms:source ?src ; a hh:Document } }"""
    hits = sorted({r["doc"] for r in execute(source, bind_values(exact, {"src": text})).records()})
    if len(hits) == 1:
        return hits[0]
    q = _PREFIXES_SPARQL + """SELECT DISTINCT ?doc ?sha ?src WHERE {
      GRAPH ?doc { ?doc a hh:Document ; hh:sha256 ?sha ; dcterms:source ?src } }"""
    rows = execute(source, q).records()
    low = text.lower()
    hits = [r["doc"] for r in rows if r.get("src") == text]
    if not hits and re.fullmatch(r"[0-9a-f]{8,64}", low):
        hits = [r["doc"] for r in rows if r.get("sha", "").startswith(low)]
    if not hits:
        hits = [r["doc"] for r in rows if r.get("src", "").endswith(text)]
    if not hits:  # the path the build was given: the source is its last parts
        hits = [r["doc"] for r in rows if r.get("src") and _is_path_to(text, r["src"])]
    hits = sorted(set(hits))
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise QueryError("parameter %s: no document %r; `kg query documents` lists them (give a "
                         "source path or the first 8 characters of the sha256)" % (name, text))
    raise QueryError("parameter %s: %r matches %d documents: %s" % (name, text, len(hits),
                                                                   ", ".join(hits[:6])))


# -- running -------------------------------------------------------------------------------------

_UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
                 "WITH")
_PROLOGUE = re.compile(r"(?:[\s\ufeff]+|#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)+",
                       re.IGNORECASE)


def update_keyword(sparql: str) -> Optional[str]:
    """The first keyword of ``sparql`` if it is a SPARQL Update (``INSERT``, ``DROP``...), else
    None. A parser given an update as a query only says what it expected instead.

    >>> update_keyword("PREFIX a: <x:> # note\\ninsert data { a:b a:c a:d }")
    'INSERT'
    >>> update_keyword("# INSERT\\nASK {}") is None
    True
    """
    m = _PROLOGUE.match(sparql)
    word = re.match(r"[A-Za-z]+", sparql[m.end() if m else 0:])
    if word and word.group(0).upper() in _UPDATE_WORDS:
        return word.group(0).upper()
    return None


def update_message(sparql: str, who: str, instead: str) -> Optional[str]:
    """If ``sparql`` is an update: a message that ``who`` runs queries only and where
    updates go ``instead``. Else None."""
    word = update_keyword(sparql)
    if word is None:
        return None
    return ("%s runs read-only queries (SELECT, ASK, CONSTRUCT, DESCRIBE), and this is a SPARQL "
            "Update (%s); %s" % (who, word, instead))


@dataclass
class Results:
    """What a query returned: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT).

    ``rows`` hold pyoxigraph terms (None where a variable is unbound); :meth:`records`
    gives plain values.
    """

    variables: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    boolean: Optional[bool] = None
    triples: Optional[list] = None
    query: str = ""

    @property
    def kind(self) -> str:
        if self.boolean is not None:
            return "ask"
        return "graph" if self.triples is not None else "select"

    def __len__(self) -> int:
        if self.kind == "graph":
            return len(self.triples)
        return 1 if self.kind == "ask" else len(self.rows)

    def records(self) -> list:
        """Rows as dicts of plain strings (IRIs and lexical forms); unbound names left out."""
        return [{v: t.value for v, t in zip(self.variables, row) if t is not None}
                for row in self.rows]

    @classmethod
    def from_oxigraph(cls, result, query: str = "", limit: Optional[int] = None) -> "Results":
        """Collect a pyoxigraph query result (at most ``limit`` rows or triples)."""
        ox = _ox()
        if isinstance(result, (bool, ox.QueryBoolean)):
            return cls(boolean=bool(result), query=query)
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            rows = []
            for sol in result:
                if limit is not None and len(rows) >= limit:
                    break
                rows.append(tuple(sol[i] for i in range(len(names))))
            return cls(variables=names, rows=rows, query=query)
        triples = []
        for t in result:
            if limit is not None and len(triples) >= limit:
                break
            triples.append(t)
        return cls(triples=triples, query=query)


def execute(source, sparql: str) -> Results:
    """Run query text on a :class:`~kg.graph.KnowledgeGraph` or a :class:`RemoteEndpoint`."""
    return source.results(sparql)


def run_text(source, sparql: str, params: Optional[dict] = None,
             declared: Sequence = ()) -> Results:
    """Run query text with ``params`` (name -> value); ``declared`` are header parameters."""
    kinds = {p.name: p for p in declared}
    bindings = {}
    for name, value in (params or {}).items():
        p = kinds.get(name, Param(name, "term"))
        bindings[name] = value if not isinstance(value, str) else resolve_param(source, p, value)
    return execute(source, bind_values(sparql, bindings))


def run_named(source, name: Union[str, NamedQuery], params: Optional[dict] = None) -> Results:
    """Run a named query with ``params`` (name -> string or term), filling in defaults.

    >>> from kg import KnowledgeGraph
    >>> g = KnowledgeGraph()
    >>> res = run_named(g, "not-linked-by-hsr", {"hub": "徐州"})
    >>> "连云港市" in [r["cityLabel"] for r in res.records()]   # 徐连高铁
    False
    """
    q = name if isinstance(name, NamedQuery) else load_query(name)
    params = dict(params or {})
    for key in params:
        q.param(key)  # raises for an unknown name
    values = {}
    for p in q.params:
        value = params.get(p.name, p.default)
        if value is None:
            if p.required:
                raise QueryError("query %r needs --param %s=... (%s)"
                                 % (q.name, p.name, p.description or p.kind))
            continue
        values[p.name] = value
    return _sorted_lists(run_text(source, q.text, values, q.params), q.text)


# GROUP_CONCAT(DISTINCT ?x; separator="、") AS ?xs: the variable and its separator
_GROUP_CONCAT = re.compile(r'GROUP_CONCAT\s*\(\s*DISTINCT\s+\?\w+\s*;\s*separator\s*=\s*'
                           r'"(?P<sep>[^"\\]+)"\s*\)\s*AS\s+\?(?P<var>\w+)', re.I)


def _sorted_lists(results: Results, sparql: str) -> Results:
    """A named query's GROUP_CONCAT(DISTINCT ...) lists with their items sorted.

    SPARQL leaves the order of a group's values to the engine, and Oxigraph's changes from
    run to run: sorted, the output of one query is the same text every time, from a local
    graph or an endpoint. (A DISTINCT list is a set; a list without DISTINCT keeps the
    engine's order, which a query may have chosen.)
    """
    lists = {m.group("var"): m.group("sep") for m in _GROUP_CONCAT.finditer(sparql)}
    columns = [(i, lists[v]) for i, v in enumerate(results.variables) if v in lists]
    if not columns or results.kind != "select":
        return results
    ox = _ox()
    rows = []
    for row in results.rows:
        row = list(row)
        for i, sep in columns:
            term = row[i]
            if isinstance(term, ox.Literal) and sep in term.value:
                value = sep.join(sorted(term.value.split(sep)))
                row[i] = (ox.Literal(value, language=term.language) if term.language
                          else ox.Literal(value, datatype=term.datatype))
        rows.append(tuple(row))
    return dataclasses.replace(results, rows=rows)


# -- a remote endpoint -------------------------------------------------------------------------

def with_prefixes(sparql: str) -> str:
    """The query with PREFIX lines for the project prefixes it does not declare, on one
    first line (so that error positions move by one line only).

    >>> with_prefixes("PREFIX hh: <x:> ASK {}").count("PREFIX hh:")
    1
    """
    from .iri import VOCABULARIES

    missing = ["PREFIX %s: <%s>" % (k, v) for k, v in VOCABULARIES.items()
               if not re.search(r"(?i)\bPREFIX\s+%s:" % re.escape(k), sparql)]
    return (" ".join(missing) + "\n" + sparql) if missing else sparql


class RemoteEndpoint:
    """A SPARQL 1.1 Protocol endpoint, queried over HTTP (``kg query --endpoint URL``).

    Queries are POSTed form-encoded; SELECT/ASK answers are read as SPARQL JSON results,
    CONSTRUCT/DESCRIBE answers as N-Triples. The endpoint should expose the union of the
    named graphs as its default graph (``oxigraph serve --union-default-graph``; ``kg serve``
    does so).
    """

    def __init__(self, url: str, *, timeout: float = 60.0, auth: Optional[str] = None):
        if not re.match(r"^https?://", url or ""):
            raise ServerError("endpoint %r is not an http(s) URL; write e.g. "
                             "http://127.0.0.1:7878/query" % url)
        self.url, self.timeout, self.auth = url, timeout, auth

    def request(self, url: str, data: bytes, content_type: str, accept: str = "*/*",
                method: str = "POST") -> tuple:
        """Send one request; return (content type, body). HTTP errors raise ServerError."""
        import base64
        import urllib.error
        import urllib.request

        req = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": content_type, "Accept": accept})
        if self.auth:
            req.add_header("Authorization",
                           "Basic " + base64.b64encode(self.auth.encode("utf-8")).decode())
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.headers.get("Content-Type", ""), resp.read()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip().splitlines()
            raise ServerError("%s answered %d %s: %s" % (url, exc.code, exc.reason,
                                                         (body[0] if body else "")[:300])) \
                from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ServerError("cannot reach %s (%s); is the server running?" % (url, reason)) \
                from None

    def results(self, sparql: str) -> Results:
        from urllib.parse import urlencode

        message = update_message(sparql, "RemoteEndpoint.results", "send it with update() to "
                                 "the server's update URL (Oxigraph: http://HOST:7878/update)")
        if message:  # else the server's parse error would only say it expected SELECT
            raise QueryError(message)
        ox = _ox()
        ctype, body = self.request(
            self.url, urlencode({"query": with_prefixes(sparql)}).encode("ascii"),
            "application/x-www-form-urlencoded",
            "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8")
        ctype = ctype.split(";")[0].strip().lower()
        try:
            if ctype in ("application/sparql-results+json", "application/json"):
                result = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            elif ctype in ("application/sparql-results+xml", "application/xml"):
                result = ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
            else:
                fmt = ox.RdfFormat.from_media_type(ctype) or ox.RdfFormat.N_TRIPLES
                result = list(ox.parse(body, format=fmt))
        except (SyntaxError, ValueError) as exc:
            raise ServerError("%s sent an answer that is not SPARQL results (%s: %s)"
                              % (self.url, ctype, exc)) from None
        return Results.from_oxigraph(result, sparql)

    def update(self, sparql: str) -> None:
        """Send a SPARQL Update (``application/sparql-update``)."""
        self.request(self.url, sparql.encode("utf-8"), "application/sparql-update")


# -- output --------------------------------------------------------------------------------------

def display_width(text: str) -> int:
    """Terminal columns: East Asian wide and full-width characters take two, marks none.

    >>> display_width("徐州 HSR"), display_width("ａ")
    (8, 2)
    """
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def compact_iri(iri: str) -> str:
    """An IRI with a project prefix where one fits (for reading, not for SPARQL).

    >>> compact_iri("https://huaihai-kg.org/id/place/320300"), compact_iri("https://huaihai-kg.org/ontology#City")
    ('hhr:place/320300', 'hh:City')
    """
    from .iri import VOCABULARIES

    best = ""
    for prefix, ns in VOCABULARIES.items():
        if iri.startswith(ns) and len(ns) > len(best):
            best, name = ns, prefix
    return name + ":" + iri[len(best):] if best else iri


def _cell(term, compact: bool) -> str:
    if term is None:
        return ""
    ox = _ox()
    if isinstance(term, ox.NamedNode):
        return compact_iri(term.value) if compact else term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return term.value.replace("\n", " ") if compact else term.value
    return str(term)


def _json_value(term):
    ox = _ox()
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt in _NUMERIC:
            try:
                d = Decimal(term.value)
            except InvalidOperation:
                return term.value
            return int(d) if d == d.to_integral_value() and "E" not in term.value.upper() \
                and dt != XSD + "double" else float(d)
        if dt == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return term.value if hasattr(term, "value") else str(term)


def format_table(header: Sequence[str], rows: Iterable[Sequence[str]],
                 numeric: Sequence[bool] = ()) -> str:
    """An aligned text table; wide (Chinese) characters count as two columns."""
    rows = [list(r) for r in rows]
    widths = [display_width(h) for h in header]
    for r in rows:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], display_width(c))
    num = list(numeric) + [False] * (len(header) - len(numeric))
    lines = ["  ".join(_pad(h, w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for r in rows:
        lines.append("  ".join(_pad(c, w, right) for c, w, right in zip(r, widths, num)).rstrip())
    lines.append("(%d row%s)" % (len(rows), "" if len(rows) == 1 else "s"))
    return "\n".join(lines)


def format_results(results: Results, fmt: str = "table") -> str:
    """Results as ``table`` (aligned), ``csv``, ``tsv`` or ``json`` text.

    SELECT rows become a table, CSV/TSV with a header line, or a JSON list of objects
    (numbers as numbers); ASK gives ``true``/``false``; CONSTRUCT/DESCRIBE give Turtle
    (``table``, ``csv``, ``tsv``) or JSON-LD (``json``).
    """
    if fmt not in FORMATS:
        raise QueryError("unknown format %r; use one of %s" % (fmt, ", ".join(FORMATS)))
    ox = _ox()
    if results.kind == "ask":
        return json.dumps(results.boolean) if fmt != "csv" else "result\n%s" % (
            "true" if results.boolean else "false")
    if results.kind == "graph":
        from .iri import VOCABULARIES

        prefixes = dict(VOCABULARIES)
        f = ox.RdfFormat.JSON_LD if fmt == "json" else ox.RdfFormat.TURTLE
        return ox.serialize(results.triples, format=f, prefixes=prefixes).decode("utf-8")
    if fmt == "json":
        return json.dumps([{v: _json_value(t) for v, t in zip(results.variables, row)
                            if t is not None} for row in results.rows],
                          ensure_ascii=False, indent=1)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        w = csv.writer(buf, dialect="excel-tab" if fmt == "tsv" else "excel", lineterminator="\n")
        w.writerow(results.variables)
        for row in results.rows:
            w.writerow([_cell(t, False) for t in row])
        return buf.getvalue().rstrip("\n")
    numeric = []
    for i in range(len(results.variables)):
        col = [r[i] for r in results.rows if r[i] is not None]
        numeric.append(bool(col) and all(isinstance(t, ox.Literal) and
                                         t.datatype.value in _NUMERIC for t in col))
    return format_table(results.variables,
                        ([_cell(t, True) for t in row] for row in results.rows), numeric)

"""``kg serve``: the graph as a SPARQL 1.1 Protocol endpoint at ``/sparql``.

- ``GET /sparql?query=...``, ``POST`` form-encoded (``query=`` or ``update=``) and ``POST``
  with ``application/sparql-query`` or ``application/sparql-update`` bodies;
  ``default-graph-uri`` and ``named-graph-uri`` choose the dataset (by default, the union
  of all graphs is the default graph, as in ``kg query``).
- SELECT and ASK answer as SPARQL JSON, XML, CSV or TSV, CONSTRUCT and DESCRIBE as Turtle,
  JSON-LD, N-Triples or RDF/XML, chosen by the ``Accept`` header (or a ``format`` parameter).
- Read-only unless started with ``allow_update``: updates are refused with 403.
- Loopback (127.0.0.1) unless told otherwise.
- Every query runs in a worker process with a deadline: a query still running at
  ``timeout`` seconds is stopped (its worker is killed and replaced) and answered 503, so a
  heavy query never wedges the server. At most ``max_results`` rows (or triples) are sent;
  a cut answer carries the header ``X-SPARQL-MaxRows``.
- Clients are served concurrently (threads), queries in parallel by ``workers`` processes.

The workers open the store read-only; a graph file is first loaded into a temporary
on-disk store. With updates allowed, one more worker owns the store read-write, and the
readers reopen it after each update.

>>> negotiate("select", "application/sparql-results+xml, */*;q=0.1")
'xml'
>>> negotiate("graph", "text/html")
>>> negotiate("graph", "application/ld+json")
'jsonld'
"""
from __future__ import annotations

import functools
import ipaddress
import json
import os
import queue
import shutil
import signal
import sys
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional, Union
from xml.sax.saxutils import escape as _xml_escape, quoteattr

from .errors import ServerError, StoreError

__all__ = ["make_server", "serve", "negotiate", "SparqlServer", "MEDIA_TYPES"]

MEDIA_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8", "jsonld": "application/ld+json",
    "nt": "application/n-triples", "rdfxml": "application/rdf+xml",
}
"""Content type of each answer format."""

_ACCEPT = {
    "select": [("application/sparql-results+json", "json"), ("application/json", "json"),
               ("text/javascript", "json"), ("application/javascript", "json"),
               ("application/sparql-results+xml", "xml"), ("application/xml", "xml"),
               ("text/xml", "xml"), ("text/csv", "csv"), ("text/tab-separated-values", "tsv"),
               ("text/plain", "tsv")],
    "graph": [("text/turtle", "ttl"), ("application/x-turtle", "ttl"),
              ("application/ld+json", "jsonld"), ("application/json", "jsonld"),
              ("application/n-triples", "nt"), ("text/plain", "nt"),
              ("application/rdf+xml", "rdfxml"), ("application/xml", "rdfxml"),
              ("text/xml", "rdfxml"), ("application/sparql-results+xml", "rdfxml")],
}
_FORMAT_PARAM = {
    "select": {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "srj": "json",
               "srx": "xml"},
    "graph": {"turtle": "ttl", "ttl": "ttl", "json": "jsonld", "json-ld": "jsonld",
              "jsonld": "jsonld", "nt": "nt", "ntriples": "nt", "n-triples": "nt",
              "xml": "rdfxml", "rdfxml": "rdfxml", "rdf": "rdfxml"},
}
_MAX_BODY = 64 * 2**20


def negotiate(kind: str, accept: Optional[str], param: Optional[str] = None) -> Optional[str]:
    """The answer format for a result ``kind`` ("select", "ask" or "graph"), or None (406).

    ``param`` is a ``format``/``output`` request parameter, which wins over ``Accept``.
    """
    table = _ACCEPT["graph" if kind == "graph" else "select"]
    if param:
        return _FORMAT_PARAM["graph" if kind == "graph" else "select"].get(param.lower()) or \
            (param if param in MEDIA_TYPES else None) or negotiate(kind, param)
    if not accept or not accept.strip():
        return table[0][1]
    ranges = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if bits[0] and q > 0:
            ranges.append((q, -i, bits[0].lower()))
    best = None
    for q, order, media in sorted(ranges, reverse=True):
        for j, (mt, fmt) in enumerate(table):
            major = mt.split("/")[0]
            if media in (mt, "*/*", major + "/*"):
                cand = (q, order, -j if media == mt else -100 - j, fmt)
                if best is None or cand > best:
                    best = cand
                if media != mt:
                    break
    return best[3] if best else None


# -- serialising answers (with the result cap) ------------------------------------------------

def _json_term(t) -> dict:
    import pyoxigraph as ox

    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = t.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(t.subject),
                                        "predicate": _json_term(t.predicate),
                                        "object": _json_term(t.object)}}


def _xml_term(t) -> str:
    import pyoxigraph as ox

    if isinstance(t, ox.NamedNode):
        return "<uri>%s</uri>" % _xml_escape(t.value)
    if isinstance(t, ox.BlankNode):
        return "<bnode>%s</bnode>" % _xml_escape(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return "<literal xml:lang=%s>%s</literal>" % (quoteattr(t.language),
                                                          _xml_escape(t.value))
        if t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return "<literal datatype=%s>%s</literal>" % (quoteattr(t.datatype.value),
                                                          _xml_escape(t.value))
        return "<literal>%s</literal>" % _xml_escape(t.value)
    return "<triple><subject>%s</subject><predicate>%s</predicate><object>%s</object></triple>" \
        % (_xml_term(t.subject), _xml_term(t.predicate), _xml_term(t.object))


def _csv_field(t) -> str:
    import pyoxigraph as ox

    if t is None:
        return ""
    value = "_:" + t.value if isinstance(t, ox.BlankNode) else getattr(t, "value", str(t))
    if any(c in value for c in ',"\r\n'):
        value = '"%s"' % value.replace('"', '""')
    return value


def _tsv_field(t) -> str:
    return "" if t is None else str(t)


def serialize_solutions(variables: list, rows, fmt: str) -> bytes:
    """SELECT rows (tuples of pyoxigraph terms or None) in a SPARQL results format.

    >>> import pyoxigraph as ox
    >>> serialize_solutions(["city"], [(ox.Literal("徐州", language="zh"),)], "csv")
    b'city\\r\\n\\xe5\\xbe\\x90\\xe5\\xb7\\x9e\\r\\n'
    """
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None}
                    for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        parts = ['<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += ["<variable name=%s/>" % quoteattr(v) for v in variables]
        parts.append("</head><results>")
        for row in rows:
            parts.append("<result>")
            parts += ["<binding name=%s>%s</binding>" % (quoteattr(v), _xml_term(t))
                      for v, t in zip(variables, row) if t is not None]
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode("utf-8")
    if fmt == "csv":
        lines = [",".join(variables)] + [",".join(_csv_field(t) for t in row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    lines = ["\t".join("?" + v for v in variables)] + \
        ["\t".join(_tsv_field(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    """An ASK answer in a SPARQL results format."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": bool(value)}).encode()
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/'
                'sparql-results#"><head/><boolean>%s</boolean></sparql>\n'
                % ("true" if value else "false")).encode()
    return (("true" if value else "false") + "\n").encode()


def _prefixes() -> dict:
    from .namespaces import PREFIXES

    return {k: str(v) for k, v in PREFIXES.items()}


def run_job(store, job: dict) -> tuple:
    """Answer one request on a pyoxigraph store: (status, content type, body, headers)."""
    import pyoxigraph as ox

    from .graph import syntax_message
    from .query import update_message

    if job["kind"] == "update":
        try:
            store.update(job["text"], prefixes=_prefixes())
        except SyntaxError as exc:
            return 400, "text/plain; charset=utf-8", (
                "bad SPARQL Update: %s\n" % syntax_message(exc)).encode(), {}
        return 204, "", b"", {}
    kwargs = {}
    try:
        if job.get("default_graphs"):
            kwargs["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]]
        else:
            kwargs["use_default_graph_as_union"] = True
        if job.get("named_graphs"):
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
    except ValueError as exc:
        return 400, "text/plain; charset=utf-8", ("bad graph IRI: %s\n" % exc).encode(), {}
    try:
        result = store.query(job["text"], prefixes=_prefixes(), **kwargs)
    except SyntaxError as exc:
        # of an update the parser would only say it expected SELECT: name the real mistake
        message = update_message(job["text"], "a query request", "POST it as update= or as an "
                                 "application/sparql-update body (accepted when the server "
                                 "runs with --allow-update)")
        message = message or "bad SPARQL query: %s" % syntax_message(exc)
        return 400, "text/plain; charset=utf-8", (message + "\n").encode(), {}
    limit = job.get("max_results")
    kind = "ask" if isinstance(result, ox.QueryBoolean) else (
        "select" if isinstance(result, ox.QuerySolutions) else "graph")
    fmt = negotiate(kind, job.get("accept"), job.get("format"))
    if fmt is None:
        offered = ", ".join(sorted({m for m, _ in _ACCEPT["graph" if kind == "graph"
                                                          else "select"]}))
        form = "CONSTRUCT/DESCRIBE" if kind == "graph" else kind.upper()
        return 406, "text/plain; charset=utf-8", ("cannot answer a %s query as %s; ask for one "
                                                  "of: %s\n" % (form, job.get("accept"),
                                                                offered)).encode(), {}
    headers = {}
    if kind == "ask":
        return 200, MEDIA_TYPES[fmt], serialize_boolean(bool(result), fmt), headers
    items = []
    for item in result:
        if limit is not None and len(items) >= limit:
            headers["X-SPARQL-MaxRows"] = str(limit)
            break
        items.append(item)
    if kind == "select":
        names = [v.value for v in result.variables]
        rows = [tuple(s[i] for i in range(len(names))) for s in items]
        return 200, MEDIA_TYPES[fmt], serialize_solutions(names, rows, fmt), headers
    rdf = {"ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD,
           "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}[fmt]
    body = ox.serialize(items, format=rdf, prefixes=_prefixes() if fmt in ("ttl", "rdfxml")
                        else None)
    return 200, MEDIA_TYPES[fmt], body or b"", headers


# -- worker processes ----------------------------------------------------------------------------

def _open(store_dir: str, mode: str):
    import pyoxigraph as ox

    return ox.Store(store_dir) if mode == "rw" else ox.Store.read_only(store_dir)


def _worker_main(conn, store_dir: str, mode: str, generation) -> None:
    """A worker process: open the store, then answer jobs from the pipe until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        store = _open(store_dir, mode)
    except OSError as exc:
        conn.send(("error", str(exc)))
        return
    seen = generation.value
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if mode == "ro" and generation.value != seen:
            store = None
            store = _open(store_dir, mode)
            seen = generation.value
        try:
            reply = run_job(store, job)
        except Exception as exc:  # the worker must answer whatever happens
            reply = (500, "text/plain; charset=utf-8",
                     ("the query failed: %s: %s\n" % (type(exc).__name__, exc)).encode(), {})
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


class _Worker:
    def __init__(self, ctx, store_dir: str, mode: str, generation):
        self.mode = mode
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, store_dir, mode, generation),
                                daemon=True, name="kg-serve-%s" % mode)
        self.proc.start()
        child.close()
        if not self.conn.poll(120):
            self.kill()
            raise ServerError("a query worker did not start within 120 s")
        msg = self.conn.recv()
        if msg[0] != "ready":
            self.kill()
            raise StoreError("a query worker could not open the store %s (%s)"
                             % (store_dir, msg[1]))

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.join(5)
        except (OSError, ValueError, AssertionError):
            pass
        self.conn.close()


class _Pool:
    """Worker processes for one store: ``readers`` read-only, plus one writer if asked."""

    def __init__(self, store_dir: Path, *, readers: int, writer: bool):
        import multiprocessing

        self.ctx = multiprocessing.get_context("spawn")
        self.store_dir = str(store_dir)
        self.generation = self.ctx.Value("i", 0)
        self.queues = {"ro": queue.Queue(), "rw": queue.Queue()}
        self.closed = False
        self._lock = threading.Lock()
        self.all: list = []
        if writer:  # the writer first: it takes the store's lock
            self._add("rw")
        for _ in range(max(1, readers)):
            self._add("ro")

    def _add(self, mode: str) -> None:
        w = _Worker(self.ctx, self.store_dir, mode, self.generation)
        with self._lock:
            if self.closed:
                w.kill()
                return
            self.all.append(w)
        self.queues[mode].put(w)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            if worker in self.all:
                self.all.remove(worker)
        if not self.closed:
            threading.Thread(target=self._add_quietly, args=(worker.mode,), daemon=True).start()

    def _add_quietly(self, mode: str) -> None:
        try:
            self._add(mode)
        except Exception as exc:  # pragma: no cover - reported, the server keeps going
            print("kg serve: could not restart a worker: %s" % exc, file=sys.stderr)

    def run(self, job: dict, timeout: float) -> tuple:
        mode = "rw" if job["kind"] == "update" else "ro"
        deadline = time.monotonic() + timeout
        try:
            worker = self.queues[mode].get(timeout=timeout)
        except queue.Empty:
            return 503, "text/plain; charset=utf-8", (
                "the server is busy: no worker became free within %gs; try again\n" % timeout
            ).encode(), {"Retry-After": "5"}
        try:
            worker.conn.send(job)
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                reply = worker.conn.recv()
                if job["kind"] == "update" and reply[0] < 300:
                    with self.generation.get_lock():
                        self.generation.value += 1
                self.queues[mode].put(worker)
                return reply
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            return 500, "text/plain; charset=utf-8", b"the query worker died; try again\n", {}
        self._replace(worker)
        return 503, "text/plain; charset=utf-8", (
            "the %s ran longer than the %gs limit and was stopped; make it more selective "
            "(LIMIT, fewer OPTIONALs, bound variables) or start kg serve with a larger --timeout\n"
            % ("update" if mode == "rw" else "query", timeout)).encode(), {}

    def close(self) -> None:
        with self._lock:
            self.closed = True
            workers, self.all = self.all, []
        for w in workers:
            w.kill()


# -- HTTP ----------------------------------------------------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    server_version = "huaihai-kg-sparql/0.1"
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):
        if not self.server.quiet:
            sys.stderr.write("kg serve: %s %s\n" % (self.address_string(), fmt % args))

    def _send(self, status: int, ctype: str, body: bytes, headers: Optional[dict] = None):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, headers: Optional[dict] = None):
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), headers)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path not in ("/sparql", "/sparql/"):
            if url.path in ("/", ""):
                return self._send(302, "", b"", {"Location": "/sparql"})
            return self._error(404, "nothing at %s; the SPARQL endpoint is /sparql" % url.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            return self._error(405, "updates must be POSTed (SPARQL 1.1 Protocol)")
        if "query" not in params:
            return self._send(200, "text/plain; charset=utf-8", self.server.description())
        self._query(params, None)

    do_HEAD = do_GET

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path not in ("/sparql", "/sparql/"):
            return self._error(404, "nothing at %s; the SPARQL endpoint is /sparql" % url.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return self._error(400, "bad Content-Length")
        if length > _MAX_BODY:
            return self._error(413, "request body over %d MiB" % (_MAX_BODY // 2**20))
        body = self.rfile.read(length) if length else b""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return self._error(400, "the request body is not UTF-8")
        if ctype == "application/x-www-form-urlencoded":
            for k, v in urllib.parse.parse_qs(text, keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
            if "update" in params:
                return self._update(params["update"])
            if "query" not in params:
                return self._error(400, "a form POST needs a query= or update= field")
            return self._query(params, None)
        if ctype == "application/sparql-query":
            return self._query(params, text)
        if ctype == "application/sparql-update":
            return self._update([text])
        return self._error(415, "POST a form (application/x-www-form-urlencoded), "
                                "application/sparql-query or application/sparql-update, not %r"
                           % (ctype or "no Content-Type"))

    def _query(self, params: dict, text: Optional[str]):
        if text is None:
            if len(params.get("query", [])) != 1:
                return self._error(400, "give exactly one query parameter")
            text = params["query"][0]
        fmt = (params.get("format") or params.get("output") or [None])[0]
        job = {"kind": "query", "text": text, "accept": self.headers.get("Accept"),
               "format": fmt, "default_graphs": params.get("default-graph-uri", []),
               "named_graphs": params.get("named-graph-uri", []),
               "max_results": self.server.max_results}
        self._send(*self.server.pool.run(job, self.server.timeout))

    def _update(self, texts: list):
        if not self.server.allow_update:
            return self._error(403, "this endpoint is read-only; start it with "
                                    "`kg serve --allow-update` to accept SPARQL Update")
        if len(texts) != 1:
            return self._error(400, "give exactly one update")
        self._send(*self.server.pool.run({"kind": "update", "text": texts[0]},
                                         self.server.timeout))


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server with its worker pool; ``url`` is the endpoint's address."""

    daemon_threads = True
    request_queue_size = 64
    allow_reuse_address = True

    def __init__(self, address, pool: _Pool, *, allow_update: bool, timeout: float,
                 max_results: Optional[int], quiet: bool, cleanup=None, label: str = ""):
        super().__init__(address, _Handler)
        self.pool, self.allow_update, self.timeout = pool, allow_update, timeout
        self.max_results, self.quiet, self._cleanup, self.label = max_results, quiet, cleanup, label
        host, port = self.server_address[:2]
        self.url = "http://%s:%d/sparql" % ("[%s]" % host if ":" in host else host, port)

    def description(self) -> bytes:
        return ("Huaihai KG SPARQL 1.1 endpoint (%s)\n\nGET or POST a query: %s?query=...\n"
                "Answers: SPARQL JSON/XML/CSV/TSV; Turtle, JSON-LD, N-Triples, RDF/XML.\n"
                "Updates: %s. Timeout %gs, at most %s results.\n"
                % (self.label, self.url, "allowed" if self.allow_update else "refused (read-only)",
                   self.timeout, self.max_results or "unlimited")).encode("utf-8")

    def close(self) -> None:
        """Stop workers and remove a temporary store."""
        self.server_close()
        self.pool.close()
        if self._cleanup:
            self._cleanup()
            self._cleanup = None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _listen_message(host: str, port: int, exc: OSError) -> str:
    """Why the server could not bind, and which option to change: a port in use (or
    privileged) is --port's fault, an address that is not this machine's is --host's."""
    import errno
    import socket

    reason = exc.strerror or str(exc)
    mine = "127.0.0.1 (this machine only), 0.0.0.0 (every network) or"
    if isinstance(exc, socket.gaierror):
        return ("cannot listen on --host %s (%s): it is neither an IP address nor a known host "
                "name; give %s an address of this machine" % (host, reason, mine))
    if exc.errno == errno.EADDRNOTAVAIL:
        return ("cannot listen on --host %s (%s): it is not an address of this machine; give "
                "%s one of its own addresses" % (host, reason, mine))
    if exc.errno in (errno.EADDRINUSE, errno.EACCES):
        return ("cannot listen on %s:%d (%s); choose another --port (0: any free port)"
                % (host, port, reason))
    return "cannot listen on %s:%d (%s); check --host and --port" % (host, port, reason)


def make_server(source, *, host: str = "127.0.0.1", port: int = 7878,
                allow_update: bool = False, timeout: float = 30.0,
                max_results: Optional[int] = 10000, workers: int = 2,
                quiet: bool = False) -> SparqlServer:
    """Build (not start) an endpoint over ``source``: a store folder, an RDF file, or a
    :class:`~kg.graph.KnowledgeGraph`. ``port=0`` picks a free port (see ``.url``).

    A store folder is served in place (``allow_update`` writes to it); a file or an
    in-memory graph is copied into a temporary store removed by ``close()``.
    """
    from .graph import KnowledgeGraph, build_graph

    if timeout <= 0:
        raise ServerError("--timeout must be positive, not %g" % timeout)
    cleanup = None
    if isinstance(source, KnowledgeGraph):
        if source.path is not None:
            store_dir, label = source.path, str(source.path)
        else:
            tmp = Path(tempfile.mkdtemp(prefix="kg-serve-"))
            store_dir, label = source.save_store(tmp / "store"), "an in-memory graph"
            cleanup = functools.partial(shutil.rmtree, tmp, ignore_errors=True)
    else:
        path = Path(source)
        if path.is_dir():  # a `kg build` output folder: what it holds
            path = build_graph(path) or path
        if path.is_dir():
            if not (path / "CURRENT").exists():
                raise StoreError("%s is not an Oxigraph store folder; run `kg build` or give "
                                 "a graph file" % path)
            store_dir, label = path, str(path)
        elif path.exists():
            tmp = Path(tempfile.mkdtemp(prefix="kg-serve-"))
            cleanup = functools.partial(shutil.rmtree, tmp, ignore_errors=True)
            try:
                KnowledgeGraph.open(path).save_store(tmp / "store")
            except BaseException:
                cleanup()
                raise
            store_dir, label = tmp / "store", str(path)
        else:
            raise StoreError("%s does not exist; run `kg build` first or give --graph PATH" % path)
    try:
        pool = _Pool(Path(store_dir), readers=workers, writer=allow_update)
    except BaseException:
        if cleanup:
            cleanup()
        raise
    try:
        server = SparqlServer((host, port), pool, allow_update=allow_update, timeout=timeout,
                              max_results=max_results, quiet=quiet, cleanup=cleanup, label=label)
    except OSError as exc:
        pool.close()
        if cleanup:
            cleanup()
        raise ServerError(_listen_message(host, port, exc)) from None
    return server


def _startup_lines(server, host: str, allow_update: bool, timeout: float,
                   max_results: Optional[int]) -> list:
    """What ``kg serve`` says when it starts: where, how, and what to beware of."""
    lines = ["kg serve: %s at %s (%s, timeout %gs, at most %s results)" % (
        server.label, server.url, "updates allowed" if allow_update else "read-only",
        timeout, max_results or "unlimited")]
    if not _is_loopback(host):
        lines.append("kg serve: warning: listening on %s, not loopback: anyone who can reach "
                     "this machine can query%s" % (host, " and change the graph"
                                                   if allow_update else ""))
    if allow_update and server._cleanup is not None:
        lines.append("kg serve: warning: %s is served from a temporary copy: updates are lost "
                     "when the server stops; to keep them serve a store folder (kg build "
                     "--store, then --graph build/store)" % server.label)
    return lines


def serve(source, *, host: str = "127.0.0.1", port: int = 7878, allow_update: bool = False,
          timeout: float = 30.0, max_results: Optional[int] = 10000, workers: int = 2,
          quiet: bool = False, echo=print) -> None:
    """Serve ``source`` until interrupted (Ctrl-C or SIGTERM); see :func:`make_server`."""
    server = make_server(source, host=host, port=port, allow_update=allow_update,
                         timeout=timeout, max_results=max_results, workers=workers, quiet=quiet)
    def _terminate(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        for line in _startup_lines(server, host, allow_update, timeout, max_results):
            echo(line)
        sys.stdout.flush()
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()

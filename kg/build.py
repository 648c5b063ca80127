"""``kg build``: documents in, the graph, a page and a summary out.

- Every output file is written atomically (a temporary file, then a rename), so an
  interrupted build leaves the previous output as it was, and the next run completes.
- Builds are incremental: each document's graph (N-Quads and TriG) is cached under
  ``OUT/cache/`` (packs of documents and an index), keyed by the document's content, its
  metadata and a fingerprint of the extractor's code and data; unchanged documents are
  not extracted again, and an interrupted build keeps most of what it extracted.
- Output is deterministic: ``OUT/graph.nq`` holds N-Quads grouped by named graph (graphs
  in order, lines sorted within each), byte-identical for
  the same inputs whatever their order and however many worker processes ran (set
  ``SOURCE_DATE_EPOCH`` to fix the extraction time recorded for new documents).
- Files that cannot be read are reported and skipped; the good files of the run are kept.
  When none can be read, the build stops with an :class:`~kg.errors.InputError` (its
  ``failures`` name them) and the previous output is left as it was.
- An output that cannot be written is an :class:`~kg.errors.OutputError` naming it.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional, Union

from .io import writing
from .read import ReadFailure, check_encoding, find_files, read_document

__all__ = ["build", "BuildReport", "default_inputs", "count_classes", "extractor_fingerprint",
           "extract_nquads", "sorted_nquads"]


def default_inputs() -> list:
    """The sample corpus, the default input of ``kg build``."""
    from .resources import data_dir

    return [data_dir() / "corpus"]


@dataclass
class BuildReport:
    """What a build did: documents read, reused from the cache, failed; counts; outputs."""

    out: Path
    documents: int = 0
    extracted: int = 0
    cached: int = 0
    characters: int = 0
    failures: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    triples: int = 0
    files: list = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {"documents": self.documents, "extracted": self.extracted, "cached": self.cached,
                "characters": self.characters,
                "failed": [{"path": f.path, "reason": f.reason} for f in self.failures],
                "triples": self.triples, "counts": self.counts,
                "files": [str(p) for p in self.files]}


def extractor_fingerprint() -> str:
    """A hash of the code and data the extraction depends on (invalidates the cache)."""
    root = Path(__file__).resolve().parent
    files = sorted(root.glob("extract/**/*.py")) + [
        root / name for name in ("rdf.py", "iri.py", "model.py", "metadata.py", "build.py",
                                 "query.py", "namespaces.py")]  # build.py...: the TriG
    files += list(_data_files())
    h = hashlib.sha256()
    for p in files:
        if p.is_file():
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def count_classes(graph) -> dict:
    """Entities mentioned in documents, by class."""
    rows = graph.query("""
        PREFIX hh: <https://huaihai-kg.org/ontology#>
        SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
          { SELECT DISTINCT ?s WHERE { GRAPH ?doc { ?s hh:mentionedIn ?doc } } }
          ?s a ?class . FILTER(STRSTARTS(STR(?class), "https://huaihai-kg.org/ontology#"))
        } GROUP BY ?class ORDER BY DESC(?n) ?class""")
    return {r["class"].split("#")[-1]: int(r["n"]) for r in rows}


_MENTIONED = b" <https://huaihai-kg.org/ontology#mentionedIn> "
_TYPED = b" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://huaihai-kg.org/ontology#"


def _class_counts(mentioned, typed) -> dict:
    """:func:`count_classes` from the subjects documents mention and ``(subject, class)``
    pairs, without loading a store (build's fast path)."""
    counts: dict = {}
    for subject, cls in typed:
        if subject in mentioned:
            name = cls.split("#")[-1]
            counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


_BASE: dict = {}


def _base_prepared() -> "_Prepared":
    """The ontology and gazetteer graphs, prepared once per process and kept in the user's
    cache while the ontology, the gazetteer and this package's code are unchanged."""
    if "prepared" not in _BASE:
        from .graph import _base_nquads
        from .io import derived
        from .resources import ontology_dir

        package = Path(__file__).resolve().parent
        sources = sorted(package.glob("*.py")) + sorted(ontology_dir().glob("*.ttl"))
        _BASE["prepared"] = derived("base-graphs", sources + list(_data_files()),
                                    lambda: _prepare(_base_nquads()))
    return _BASE["prepared"]


def _summary_markdown(report: BuildReport) -> str:
    lines = ["# Huaihai KG build", "",
             "- documents: %d (%d characters; %d extracted, %d unchanged from the cache)"
             % (report.documents, report.characters, report.extracted, report.cached),
             "- failed files: %d" % len(report.failures),
             "- triples: %d" % report.triples, "",
             "| class | entities mentioned |", "|---|---:|"]
    lines += ["| %s | %d |" % (k, v) for k, v in report.counts.items()]
    if report.failures:
        lines += ["", "## Files that could not be read", ""]
        lines += ["- %s: %s" % (f.path, f.reason) for f in report.failures]
    return "\n".join(lines) + "\n"


# -- the work on one document (runs in the main process or in a worker) --------------
_WORKER: dict = {}


def _worker_done() -> None:
    """Close this process's spool file and forget the build's settings."""
    if _WORKER.get("spooled"):
        os.close(_WORKER["spooled"][0])
    _WORKER.update(spool=None, spooled=None, cache=None)


def _worker_init(fingerprint: str, cache: Optional[tuple], spool: Optional[str] = None,
                 forked: bool = False):
    """``cache``: ``(folder, index, packs)`` of the build's cache (see _cache_index;
    ``packs``: the spool files are packs of the cache, which can be written), or None."""
    _WORKER.update(fingerprint=fingerprint, cache=cache, spool=spool, spooled=None)
    if forked:  # a worker does not keep the build's lock: it goes when the build's process does
        for fd in _LOCKED:
            with contextlib.suppress(OSError):
                os.close(fd)
        _LOCKED.clear()


class _Span(tuple):
    """``(file, offset, length)``: bytes of a spool file or a pack of the cache."""

    __slots__ = ()


def _spooled(prepared: "_Prepared") -> "_Prepared":
    """A document with its N-Quads and TriG in this process's spool file, as spans.

    Sending some 60 MB of graph per 3 MB of text back through a pipe cost the parent about
    0.3 s of CPU here (reading and unpickling it), on cores the workers need; from files
    the parent copies the spans into the outputs in the kernel (see _write_blocks). A
    one-process build spools too: kept in memory until the end, the graph's bytes were
    most of its peak (and their fresh pages cost more than writing them to the spool).
    """
    fd = _WORKER["spooled"]
    if fd is None:  # a new file of this worker's own (binary, offsets from 0)
        packs = _WORKER.get("cache") and _WORKER["cache"][2]
        handle, name = _new_file(_WORKER["spool"], _PACK if packs else "")
        fd = _WORKER["spooled"] = [handle, name, 0]
    blocks = []
    for graph, nq, trig in prepared.blocks:
        spans = []
        for data in (nq, trig):
            view = memoryview(data)
            while view:  # unbuffered: written when the result is sent, whatever comes next
                view = view[os.write(fd[0], view):]
            spans.append(_Span((fd[1], fd[2], len(data))))
            fd[2] += len(data)
        blocks.append((graph, *spans))
    return _Prepared(blocks, prepared.mentioned, prepared.typed, prepared.quads)


def _new_file(folder, suffix: str = "") -> tuple:
    """A new file of a random name in ``folder``, open for writing: ``(descriptor, path)``.
    (Like tempfile.mkstemp, but with the permissions the umask gives: it may be a pack of
    the cache.)"""
    while True:
        path = os.path.join(folder, os.urandom(8).hex() + suffix)
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                           | getattr(os, "O_BINARY", 0), 0o666), path
        except FileExistsError:
            continue


def _span_bytes(block) -> bytes:
    if not isinstance(block, _Span):
        return block
    name, offset, length = block
    with open(name, "rb") as f:
        return _read_span(f, offset, length)


def _read_span(f, offset: int, length: int) -> bytes:
    f.seek(offset)
    data = f.read(length)
    if len(data) != length:
        raise RuntimeError("%s ends before byte %d: a document's graph is missing"
                           % (f.name, offset + length))
    return data


def _write_blocks(path: Path, blocks, head: bytes = b"") -> None:
    """Write ``head`` and then the blocks (bytes, or spans of spool files) to ``path``."""
    with contextlib.ExitStack() as files, open(path, "wb") as f:
        sources: dict = {}
        f.write(head)
        for block in blocks:
            if not isinstance(block, _Span):
                f.write(block)
                continue
            name, offset, length = block
            src = sources.get(name)
            if src is None:
                src = sources[name] = files.enter_context(open(name, "rb"))
            f.flush()
            end = offset + length
            try:
                while offset < end:  # copied in the kernel, where it can be
                    copied = os.copy_file_range(src.fileno(), f.fileno(), end - offset, offset)
                    if not copied:
                        break  # (the end of the file: reported below)
                    offset += copied
            except (AttributeError, OSError):  # (not Linux, or not between these files)
                pass
            if offset < end:
                f.write(_read_span(src, offset, end - offset))


def _extractor():
    if "extractor" not in _WORKER:
        import gc

        from .extract import Extractor
        from .gazetteer import load_gazetteer

        # Building it makes some 160,000 objects (spaCy's modules, the automata, the
        # gazetteer) and no garbage: the cyclic collector would only walk them again and again
        enabled = gc.isenabled()
        gc.disable()
        try:
            _WORKER["extractor"] = Extractor(load_gazetteer())
        finally:
            if enabled:
                gc.enable()
    return _WORKER["extractor"]


class _Frozen:
    """The pipeline, once built, frozen for the collector (``gc.freeze``) while a build
    runs: it lives as long as the process, and a full collection would walk its objects
    again and again. Undone when the build ends; nothing is done if the caller has frozen
    objects of its own (its freeze is left as it is)."""

    def __init__(self):
        import gc

        self.gc, self.mine, self.frozen = gc, gc.get_freeze_count() == 0, False

    def __call__(self):
        if self.mine and not self.frozen and "extractor" in _WORKER:
            self.gc.freeze()
            self.frozen = True

    def release(self):
        if self.frozen:
            self.gc.unfreeze()
            self.frozen = False


def _cache_key(doc, fingerprint: str) -> str:
    h = hashlib.sha256()
    for part in (fingerprint, doc.sha256, doc.id, doc.date, doc.title, doc.publisher):
        h.update(str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()[:32]


# The ontology and gazetteer graphs: one more unit of work (the build's own process does it).
_BASE_JOB = (None, "<ontology and gazetteer>", None, None)  # no file has the path None


def _process(job):
    """Read, extract and serialise one file: ``("ok", cache key or None, prepared, chars,
    cached, index entry or None)``, or a failure."""
    path, doc_id, encoding, date = job
    if path is None:
        return ("base", _base_prepared())
    try:
        doc = read_document(path, doc_id=doc_id, encoding=encoding, date=date)
    except Exception as exc:  # noqa: BLE001  (a bad file must never stop the run)
        from .errors import KGError

        reason = str(exc) if isinstance(exc, KGError) else "%s: %s" % (type(exc).__name__, exc)
        return ("fail", str(path), reason.replace(str(path) + " ", "", 1))
    cache = _WORKER.get("cache")
    key = _cache_key(doc, _WORKER["fingerprint"]) if cache is not None else None
    if key is not None:
        found = _cache_read(cache, key)
        if found is not None:
            return ("ok", key, found[0], len(doc.text), True, found[1])
    try:
        prepared = _extract_prepared(doc)
    except Exception as exc:  # noqa: BLE001
        return ("fail", str(path), "the extractor failed on it (%s: %s); please report this "
                "file" % (type(exc).__name__, exc))
    entry = None
    if _WORKER.get("spool"):
        spooled = _spooled(prepared)
        if key is not None and cache[2] and len(prepared.blocks) == 1:
            # its index entry: where it is in the spool file, a pack of the cache
            _, nq, trig = prepared.blocks[0]
            name, offset, _ = spooled.blocks[0][1]
            entry = [name, offset, len(nq), len(trig), zlib.crc32(trig, zlib.crc32(nq))]
        prepared = spooled
    return ("ok", key, prepared, len(doc.text), False, entry)


# The per-document cache (OUT/cache): each document's N-Quads and TriG block, one after the
# other, in pack files, and an index of where each one is by the document's cache key. With
# a cache, a build's spool files (see _spooled) are packs of it: the cache costs no writes
# of its own, and a few files rather than one per document (creating and renaming 964
# files cost more here than writing their 66 MB). The index is written again every few
# seconds while a build runs, so an interrupted build keeps most of what it extracted.
# Packs are written without a disk flush: the crc32 in the index makes what a crash
# damaged a miss.
_INDEX = "index.json"
_INDEX_FORMAT = "kg build cache 2"
_PACK = ".pack"


def _cache_index(cache_dir: Path) -> dict:
    """``{cache key: [pack, offset, N-Quads length, TriG length, crc32]}`` ({} if the index
    is missing, unreadable or of another version)."""
    try:
        with open(cache_dir / _INDEX, encoding="utf-8") as f:
            index = json.load(f)
        if index.get("format") != _INDEX_FORMAT or not isinstance(index.get("entries"), dict):
            return {}
    except (OSError, ValueError, AttributeError):
        return {}
    # (an entry of any other shape, written by hand or by no kg, is dropped: a miss)
    return {key: e for key, e in index["entries"].items()
            if type(e) is list and len(e) == 5 and type(e[0]) is str
            and os.path.basename(e[0]) == e[0] and e[0].endswith(_PACK)
            and all(type(n) is int and n >= 0 for n in e[1:])}


def _cache_read(cache: tuple, key: str) -> Optional[tuple]:
    """The cached document as ``(its _Prepared, with spans of its pack; its index entry)``;
    None if it is not in the index, or its pack is missing, unreadable or damaged."""
    folder, index = cache[:2]
    try:
        pack, offset, nq_length, trig_length, crc = index[key]
        if not nq_length:
            return None
        path = os.path.join(folder, pack)
        with open(path, "rb") as f:
            body = _read_span(f, offset, nq_length + trig_length)
        if zlib.crc32(body) != crc:
            return None
    except (KeyError, OSError, RuntimeError, TypeError, ValueError):
        return None
    nq = body[:nq_length]
    graph = _graph_suffix(nq)[1:-3]
    blocks = [(graph, _Span((path, offset, nq_length)),
               _Span((path, offset + nq_length, trig_length)))]
    return (_Prepared(blocks, _find_subjects(nq, _MENTIONED),
                      _find_subjects(nq, _TYPED, with_class=True), nq.count(b"\n")),
            [path, offset, nq_length, trig_length, crc])


def _cache_write_index(cache_dir: Path, entries: dict) -> None:
    """Replace the index with ``entries`` (paths or names of packs in ``cache_dir``)."""
    index = {key: [os.path.basename(e[0])] + list(e[1:]) for key, e in sorted(entries.items())}
    tmp = cache_dir / (".%s.%d.tmp" % (_INDEX, os.getpid()))
    tmp.write_text(json.dumps({"format": _INDEX_FORMAT, "entries": index}), encoding="utf-8")
    os.replace(tmp, cache_dir / _INDEX)


def _cache_update(cache_dir: Path, entries: dict, jobs: int = 1) -> None:
    """Make this build's documents the cache: when the packs they are in are many (more
    than 8 besides this build's ``jobs``) or mostly hold documents no input has any more,
    they are copied into one new pack; the index is replaced and unused packs go. A cache
    that cannot be written only costs time."""
    sizes: dict = {}
    for name, _, nq_length, trig_length, _ in entries.values():
        sizes[name] = sizes.get(name, 0) + nq_length + trig_length
    try:
        held = sum(os.path.getsize(name) for name in sizes)
    except OSError:
        return
    if len(sizes) > 8 + jobs or held > 2 * sum(sizes.values()):
        whole = None
        try:
            handle, whole = _new_file(cache_dir, _PACK)
            os.close(handle)
            offset, spans, copied = 0, [], {}
            for key in sorted(entries):  # (one span: a document's N-Quads, then its TriG)
                name, start, nq_length, trig_length, crc = entries[key]
                spans.append(_Span((name, start, nq_length + trig_length)))
                copied[key] = [whole, offset, nq_length, trig_length, crc]
                offset += nq_length + trig_length
            _write_blocks(Path(whole), spans)
            entries = copied
        except OSError:  # (a full disk: the packs as they are)
            if whole is not None:
                with contextlib.suppress(OSError):
                    os.unlink(whole)
    try:
        _cache_write_index(cache_dir, entries)
    except OSError:
        return
    used = {os.path.basename(e[0]) for e in entries.values()}
    with contextlib.suppress(OSError):
        for old in list(cache_dir.iterdir()):  # (*.entry, *.nq: the caches of older versions)
            if old.suffix in (_PACK, ".entry", ".nq") and old.name not in used:
                with contextlib.suppress(OSError):
                    old.unlink()


_CHECKPOINT = 5.0  # seconds between two writes of the index while a build runs


def _checkpoint(cache_dir: Path, index: dict, entries: dict) -> None:
    """The index as the build has it so far: this build's documents, and those of the
    previous index (not deleted before the build ends)."""
    with contextlib.suppress(OSError):
        _cache_write_index(cache_dir, {**index, **entries})


def _can_write(folder: Path) -> bool:
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


@dataclass
class _Prepared:
    """One document's output, made where it was extracted (in a worker, with ``--jobs``).

    ``blocks``: ``(graph term, sorted N-Quads, TriG block)`` per named graph; ``mentioned``
    (the IRIs of the entities the document mentions) and ``typed`` (``(IRI, class IRI)``
    pairs): what the class counts need. The parent only concatenates blocks.
    """

    blocks: list
    mentioned: list
    typed: list
    quads: int


def _prepare(data: bytes) -> _Prepared:
    lines = data.splitlines(keepends=True)
    suffix = _graph_suffix(data)
    if all(line.endswith(suffix) for line in lines):  # one document: one graph
        by_graph = {suffix[1:-3]: lines} if lines else {}
    else:
        by_graph = {}
        for line in lines:
            if line.strip():
                by_graph.setdefault(line[:-3].rsplit(b" ", 1)[1], []).append(line)
    blocks, quads = [], 0
    for graph in sorted(by_graph):
        lines = sorted(set(by_graph[graph]))
        quads += len(lines)
        blocks.append((graph, b"".join(lines), _trig_block(graph, lines)))
    text = b"".join(b[1] for b in blocks)
    return _Prepared(blocks, _find_subjects(text, _MENTIONED),
                     _find_subjects(text, _TYPED, with_class=True), quads)


def _graph_suffix(nquads: bytes) -> bytes:
    """``b" <graph> .\\n"``, the end of the first line of N-Quads (b"" if there is none)."""
    first = nquads[:nquads.find(b"\n") + 1]
    return first[first[:-3].rfind(b" "):] if first else b""


def _find_subjects(text: bytes, marker: bytes, with_class: bool = False) -> list:
    """The subjects (IRIs) of the lines holding ``marker`` (and the class IRI after it)."""
    found, i = [], text.find(marker)
    while i >= 0:
        subject = text[text.rfind(b"\n", 0, i) + 1:i]
        if b" " in subject:  # the marker is inside a literal of some other line
            pass
        elif with_class:
            j = i + len(marker)
            found.append((subject[1:-1].decode("utf-8", "surrogatepass"),
                          "https://huaihai-kg.org/ontology#" + text[j:text.index(b">", j)]
                          .decode("utf-8", "surrogatepass")))
        else:
            found.append(subject[1:-1].decode("utf-8", "surrogatepass"))
        i = text.find(marker, i + 1)
    return found


_COMPACT_MEMO: dict = {}


def _compact(term: str, _memo: dict = _COMPACT_MEMO) -> str:
    """``<https://huaihai-kg.org/ontology#City>`` -> ``hh:City`` where Turtle allows it."""
    found = _memo.get(term)
    if found is not None:
        return found
    if term.startswith(_RESOURCES):  # resource IRIs hold "/": written in full, not memoised
        return term
    found = term
    if term[:1] == '"':  # a typed literal (offsets, dates, figures recur): its datatype
        text, _, datatype = term.rpartition("^^")
        if datatype[:1] == "<":
            found = text + "^^" + _compact(datatype)
    elif term[:1] == "<":
        from .query import compact_iri

        short = compact_iri(term[1:-1])
        if short != term[1:-1] and _LOCAL.fullmatch(short.partition(":")[2]):
            found = short  # a prefixed name Turtle accepts
    if len(_memo) < 100_000:
        _memo[term] = found
    return found


_RESOURCES = "<https://huaihai-kg.org/id/"
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def _trig_block(graph: bytes, lines: list) -> bytes:
    """Sorted N-Quads of one graph as a TriG block, subjects grouped, known IRIs prefixed."""
    g = graph.decode("utf-8", "surrogatepass")
    # split at "\n" only: str.splitlines would also split at U+2028 inside a literal
    text = b"".join(lines).decode("utf-8", "surrogatepass").split("\n")[:-1]
    out = [g, " {\n"]
    previous = _trig_lines(out, text, len(g) + 3, None)  # cut " " + graph + " ."
    out.append(" .\n}\n\n" if previous is not None else "}\n\n")
    return "".join(out).encode("utf-8", "surrogatepass")


def _trig_units(graph: bytes, units: list, writer) -> bytes:
    """:func:`_trig_block` of a writer's sorted units (lines, and whole evidence blocks,
    which the template of :func:`_evidence_trig` writes from the values that filled them)."""
    if not _EVIDENCE_TRIG:
        _EVIDENCE_TRIG.append(_evidence_trig())
    evidence = writer.evidence
    template = (_EVIDENCE_TRIG[0].replace("%(doc)s", writer.document)
                .replace("%(act)s", writer.activity))
    memo, g = _COMPACT_MEMO, graph.decode("utf-8")
    cut = len(g) + 4  # " " + graph + " .\n"
    out, previous, run = [g, " {\n"], None, []
    for unit in units + [None]:  # None: the end, after the last one-line units
        fact = evidence.get(unit)
        if fact is None and unit is not None:
            run.append(unit)
            continue
        if run:  # the one-line units before this block, grouped by subject
            previous = _trig_lines(out, run, cut, previous)
            run = []
        if unit is None:
            break
        if previous is not None:
            out.append(" .\n")
        p, o, subject = fact["p"], fact["o"], fact["s"]
        if o[-1:] == ">":
            o = memo.get(o) or _compact(o)
        previous = "<%s>" % fact["ev"]
        out.append(template % {
            "ev": previous, "s": memo.get(subject) or _compact(subject),
            "p": memo.get(p) or _compact(p), "o": o, "sentence": fact["sentence"],
            "start": fact["start"], "end": fact["end"], "rule": fact["rule"]})
    out.append(" .\n}\n\n" if previous is not None else "}\n\n")
    return "".join(out).encode("utf-8")


def _trig_lines(out: list, lines: list, cut: int, previous: Optional[str]):
    """Append sorted N-Quads lines (``cut`` characters of graph and end cut off each) to
    ``out`` as TriG, continuing the subject ``previous``; return the last subject."""
    memo, pos = _COMPACT_MEMO, _PO_MEMO
    for line in lines:
        i = line.find(" ")  # (a subject holds no space: an IRI or a blank node)
        s, po = line[:i], line[i + 1:-cut]
        found = pos.get(po)  # predicate and object recur (a hh:Project, hh:mentionedIn <doc>)
        if found is None:
            p, o = po.split(" ", 1)
            p = "a" if p == _TYPE else memo.get(p) or _compact(p)
            if o[-1:] == ">":
                o = memo.get(o) or _compact(o)
            found = p + " " + o
            if len(pos) >= 20_000:
                pos.clear()
            pos[po] = found
        if s == previous:
            out += (" ;\n    ", found)
        else:
            if previous is not None:
                out.append(" .\n")
            out += ("  ", s if s.startswith(_RESOURCES) else _compact(s), " ", found)
            previous = s
    return previous


_PO_MEMO: dict = {}  # "<p> <o>" of an N-Quads line -> its TriG


_EVIDENCE_TRIG: list = []  # made on first use: kg.build's import stays light


def _evidence_trig() -> str:
    """:data:`kg.rdf._EVIDENCE` as a TriG template: what :func:`_trig_lines` makes of the
    lines of an evidence block, with the block's values (s, p, o: as given, compacted by
    the caller) left as placeholders."""
    from .rdf import _EVIDENCE

    parts = []
    for line in _EVIDENCE.splitlines():
        _, p, o = line[:-len(" %(g)s .")].split(" ", 2)
        p = "a" if p == _TYPE else _compact(p)
        if o[-1:] == ">" and "%(" not in o.rpartition("^^")[2]:
            o = _compact(o)  # a class, or a literal's datatype; not <%(doc)s> or <%(act)s>
        parts.append(p + " " + o)
    return "  %(ev)s " + " ;\n    ".join(parts)


def _trig_header() -> bytes:
    from .iri import VOCABULARIES

    return b"".join(b"@prefix %s: <%s> .\n" % (k.encode(), v.encode())
                    for k, v in sorted(VOCABULARIES.items())) + b"\n"


def _extract_prepared(doc) -> _Prepared:
    """:func:`_prepare` of a document's extraction, made from the writer's lines and lists."""
    from . import rdf
    from .gazetteer import load_gazetteer

    extraction = _extractor().extract_document(doc)
    w = rdf._extraction_writer(extraction, load_gazetteer())
    graph = w.graph.encode("utf-8")
    if w.blocks_sort:  # fewer items to sort: evidence blocks whole (str order = UTF-8 order)
        units = sorted(set(w.lines))
        nq = "".join(units).encode("utf-8")
        # (a unit is a line or one of the distinct evidence blocks, each of as many lines)
        quads = len(units) + (rdf._EVIDENCE.count("\n") - 1) * len(w.evidence)
        trig = _trig_units(graph, units, w)
    else:
        lines = sorted(set("".join(w.lines).encode("utf-8").splitlines(keepends=True)))
        nq, trig, quads = b"".join(lines), _trig_block(graph, lines), len(lines)
    return _Prepared([(graph, nq, trig)], w.mentioned, w.typed, quads)


def _results(jobs_list, jobs: int, fingerprint: str, cache: Optional[tuple],
             spool: Optional[str] = None, frozen: Optional[_Frozen] = None):
    """The results of ``_process`` over the jobs, in this process and ``jobs - 1`` workers
    (given a ``spool`` folder, each writes its graphs to a file there: the results hold
    spans of them).
    ``frozen``: the build's :class:`_Frozen` (else one of this call's own)."""
    own = frozen is None
    frozen = frozen or _Frozen()
    documents = [job for job in jobs_list if job is not _BASE_JOB]
    if jobs <= 1 or len(documents) <= 1:
        _worker_init(fingerprint, cache, spool)
        try:
            for job in jobs_list:
                frozen()  # (the first document that needs the pipeline builds it)
                yield _process(job)
        finally:
            _worker_done()
            if own:
                frozen.release()
        return
    import multiprocessing as mp

    if "fork" in mp.get_all_start_methods():
        # Workers inherit the pipeline built here once (spaCy's import and the automata
        # cost a second or two per process otherwise); frozen, its pages stay shared (no
        # copy-on-write by the collector). Not when the cache has as many documents as
        # the build (a build again, most likely: 0.45 s for nothing): then a process that
        # finds a document to extract builds its own.
        if cache is None or len(cache[1]) < len(documents):
            _extractor()
            frozen()
        ctx = mp.get_context("fork")
    else:
        ctx = mp.get_context("spawn")
    try:
        yield from _shared(ctx, documents, len(documents) < len(jobs_list), jobs,
                           (fingerprint, cache, spool))
    finally:
        if own:
            frozen.release()


# With --jobs N, this process and N - 1 workers take documents from one list, a few at a
# time (a counter in shared memory says which come next); the workers send their results
# back through pipes and this process yields all of them in the order of the list.
# (multiprocessing.Pool, used before, added a process of its own on the cores the workers
# need, ended its workers with SIGTERM, which forked workers took for kg's own handler, a
# traceback on stderr after a build that succeeded, and waited forever for the results of
# a worker that was killed.)


def _take(counter, total: int, processes: int) -> tuple:
    """The next documents, ``range(start, end)`` (none left if ``start >= total``):
    up to 16 while many are left, fewer towards the end, so that all end together."""
    with counter.get_lock():
        start = counter.value
        end = min(total, start + max(1, min(16, (total - start) // (4 * processes))))
        counter.value = max(start, end)
    return start, end


@contextlib.contextmanager
def _signals_held():
    """Ctrl-C and SIGTERM held back while a worker starts: in the worker until it has set
    its own handling (a fork copies kg's handlers: a signal at that moment was lost, or
    hung the build), and here until the worker is one this process knows to end."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):  # (Windows)
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _work(conn, counter, documents: list, processes: int, initargs: tuple,
          readers: tuple = ()) -> None:
    """A worker process: :func:`_process` over documents it takes until none are left;
    sends ``(start, results)`` for each take, then None (or ``(None, error)``).
    ``readers``: the ends of the pipes a forked worker inherited (closed: while it held its
    own, a worker whose build was killed filled its pipe and waited forever)."""
    import signal

    # an interrupt is the build's process to handle: it ends its workers with SIGTERM,
    # which ends them at once (Ctrl-C at a terminal reaches every process of the group)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # (held back by _signals_held)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    for reader in readers:
        reader.close()
    _worker_init(*initargs, forked=True)
    try:
        while True:
            start, end = _take(counter, len(documents), processes)
            if start >= len(documents):
                break
            conn.send((start, [_process(job) for job in documents[start:end]]))
        conn.send(None)
    except (BrokenPipeError, ConnectionResetError):  # the build's process is gone
        pass
    except Exception as exc:  # noqa: BLE001  (a full disk...: raised by the build's process)
        with contextlib.suppress(Exception):
            conn.send((None, exc))
    finally:
        _worker_done()


def _shared(ctx, documents: list, base: bool, jobs: int, initargs: tuple):
    """:func:`_process` over the documents in this process and ``jobs - 1`` workers (and
    ``_BASE_JOB`` first, if ``base``); the results in the order of the documents."""
    from multiprocessing.connection import wait

    from .errors import KGError

    total = len(documents)
    processes = max(1, min(jobs, total))
    counter = ctx.Value("q", 0)
    workers: dict = {}  # the end of a worker's pipe this process reads: the worker
    done: dict = {}  # start of a take: its results
    following = 0  # the document whose result is yielded next

    def receive(timeout):
        for reader in wait(list(workers), timeout):
            while reader in workers and reader.poll():
                try:
                    message = reader.recv()
                except EOFError:  # killed
                    worker = workers.pop(reader)
                    worker.join()
                    code = worker.exitcode
                    raise KGError("a worker process ended unexpectedly (%s); run the command "
                                  "again" % ("signal %d" % -code if code and code < 0
                                             else "exit code %s" % code)) from None
                if message is None:
                    workers.pop(reader).join()
                    reader.close()
                elif message[0] is None:
                    raise message[1]
                else:
                    done[message[0]] = message[1]

    try:
        forked = ctx.get_start_method() == "fork"
        for _ in range(processes - 1):
            reader, writer = ctx.Pipe(duplex=False)
            inherited = (reader, *workers) if forked else ()
            worker = ctx.Process(target=_work, daemon=True, args=(
                writer, counter, documents, processes, initargs, inherited))
            with _signals_held():
                try:
                    worker.start()
                    workers[reader] = worker
                finally:
                    writer.close()  # (then the pipe ends, for reading, when the worker does)
        _worker_init(*initargs)
        if base:  # the ontology and gazetteer graphs: made here
            yield _process(_BASE_JOB)
        while True:
            start, end = _take(counter, total, processes)
            if start < total:
                done[start] = [_process(job) for job in documents[start:end]]
            if workers:
                receive(0 if start < total else None)
            elif start >= total:
                break
            while following in done:
                results = done.pop(following)
                following += len(results)
                yield from results
    finally:
        for worker in workers.values():
            worker.terminate()
        for reader, worker in workers.items():
            reader.close()
            worker.join(10)
            if worker.is_alive():  # (SIGTERM held back or ignored, somehow)
                worker.kill()
                worker.join()
        _worker_done()


def extract_nquads(files, *, date=None, encoding=None, jobs: int = 1) -> tuple:
    """Sorted N-Quads of the documents in ``files`` (one named graph each), and failures.

    This is a shard: extraction is per document, so a large corpus splits into lists of
    files extracted anywhere, and the shards load into one store (``kg push``).
    """
    _check_options(date, encoding)
    jobs_list = [(str(p), doc_id, encoding, date) for p, doc_id in find_files(files)]
    blocks, failures = {}, []
    with contextlib.ExitStack() as stack:
        # workers write their graphs to files (a pipe holds 64 kB: a worker would wait for
        # this process, which extracts too, to read)
        spool = stack.enter_context(tempfile.TemporaryDirectory()) if jobs > 1 else None
        for result in _results(jobs_list, jobs, extractor_fingerprint(), None, spool):
            if result[0] == "fail":
                failures.append(ReadFailure(result[1], result[2]))
            else:
                for graph, nq, _ in result[2].blocks:
                    nq = _span_bytes(nq)
                    blocks[graph] = _merge(blocks[graph], nq) if graph in blocks else nq
    return b"".join(blocks[g] for g in sorted(blocks)), failures


def _check_options(date: Optional[str], encoding: Optional[str]) -> None:
    """A date or an encoding no document can have is one error before anything is read (not
    one per file, each blamed for it)."""
    if date is not None:
        from .metadata import check_date

        check_date(date)
    check_encoding(encoding)


def _merge(a: bytes, b: bytes) -> bytes:
    """Two sorted N-Quads blocks of one graph (the same text read from two files)."""
    return b"".join(sorted(set(a.splitlines(keepends=True)) | set(b.splitlines(keepends=True))))


def sorted_nquads(store) -> bytes:
    """The whole dataset as sorted N-Quads: a canonical, diffable, byte-stable form."""
    import pyoxigraph as ox

    lines = ox.serialize(store, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    lines.sort()
    return b"".join(lines)


@functools.lru_cache(maxsize=1)
def _data_files() -> tuple:
    """The gazetteer's and the extractor's data files (not the corpus, gold or pictures),
    listed once per process: the extractor's fingerprint and the base graphs' key read them."""
    from .resources import data_dir

    data = data_dir()
    return tuple(sorted(p for p in data.rglob("*") if p.is_file() and p.suffix in
                        (".csv", ".json", ".txt", ".tsv", ".yaml", ".yml")
                        and not p.relative_to(data).parts[0] in ("corpus", "gold", "screenshots")))


def build(inputs: Optional[Iterable[Union[str, Path]]] = None, out: Union[str, Path] = "build",
          *, date: Optional[str] = None, encoding: Optional[str] = None, jobs: int = 1,
          progress: Optional[Callable] = None, page: bool = True,
          cache: bool = True, store: bool = False) -> BuildReport:
    """Read, extract and write the graph, a page and a summary into ``out``.

    Writes ``graph.trig`` (readable), ``graph.nq`` (N-Quads sorted by graph, what the graph
    commands load), ``graph.html``, ``summary.md`` and ``summary.json``; with ``store``
    also ``store/``, an on-disk Oxigraph store that opens at once however large the graph
    (the graph commands prefer it while it is newer than ``graph.nq``). ``progress``
    wraps the stream of results (a progress bar); ``date`` is the publication date of
    documents that state none; ``jobs`` is the number of processes that extract (this
    one and ``jobs - 1`` workers).
    """
    from .errors import InputError

    started = time.perf_counter()
    out = Path(out)
    inputs = list(inputs) if inputs else default_inputs()
    _check_options(date, encoding)
    # OUT inside an input folder (kg build . ; kg build news -o news/build): the build's
    # outputs are not inputs of the next one (its page would fail as "empty"). OUT/graph.html
    # too, for OUT an input folder itself.
    files = find_files(inputs, skip=[out, out / "graph.html"])
    if not files:
        raise InputError("no .txt or .html file in %s; give files or folders that hold some "
                         "(nothing in %s was changed)" % (", ".join(map(str, inputs)), out))
    report = BuildReport(out=out)
    cache_dir = out / "cache" if cache else None
    fresh = not out.exists()
    try:
        # from here an OSError is the output's (the spool, the cache, the stage, a full disk):
        # one message naming OUT. (A file that cannot be read fails alone, in _process.)
        with writing(out):
            out.mkdir(parents=True, exist_ok=True)
            if cache_dir is not None:
                cache_dir.mkdir(parents=True, exist_ok=True)
            with _lock(out):
                _remove_leftovers(out, cache_dir)  # temporary files a killed build left behind
                try:
                    return _build(files, out, report, cache_dir, started, date=date,
                                  encoding=encoding, jobs=jobs, progress=progress, page=page,
                                  store=store)
                except BaseException:  # interrupted: what a worker or a signal left half
                    _remove_leftovers(out, cache_dir)  # written goes
                    raise
    except InputError:
        if fresh:  # no document could be read: the folder made for it goes too
            shutil.rmtree(out, ignore_errors=True)
        raise


@contextlib.contextmanager
def _lock(out: Path):
    """One build at a time in ``out``: another would take the first one's files for the
    leftovers of a killed build. (Where there is no ``fcntl``, builds are not locked.)"""
    try:
        import fcntl
    except ImportError:  # (Windows)
        yield
        return
    with open(out / ".lock", "a") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            from .errors import KGError

            raise KGError("another kg build is writing %s; wait for it to end, or build "
                          "into another folder with -o" % out) from None
        _LOCKED.append(f.fileno())
        try:
            yield
        finally:
            _LOCKED.remove(f.fileno())
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


# The descriptors of the locks this process's builds hold. A forked worker inherits them,
# and a lock lasts while any process holds its descriptor: workers close theirs, so that a
# build killed with SIGKILL does not leave its folder locked while its workers wind down.
_LOCKED: list = []


def _remove_leftovers(out: Path, cache_dir: Optional[Path]) -> None:
    for folder in (out, cache_dir):
        if folder is not None and folder.is_dir():
            for leftover in folder.glob(".*.tmp"):
                leftover.unlink(missing_ok=True)
            for leftover in folder.glob(".*.partial"):
                shutil.rmtree(leftover, ignore_errors=True)


def _build(files, out, report, cache_dir, started, *, date, encoding, jobs, progress, page,
           store) -> BuildReport:
    from .errors import InputError
    from .graph import KnowledgeGraph
    from .io import replace_dir

    # Every output is made in a hidden staging folder inside OUT, then renamed into place:
    # an interrupted build leaves the previous output as it was.
    stage = Path(tempfile.mkdtemp(prefix=".stage.", suffix=".partial", dir=out))
    frozen = _Frozen()
    frozen()  # (a pipeline built before this build)
    try:
        jobs_list = [_BASE_JOB] + [(str(p), doc_id, encoding, date) for p, doc_id in files]
        # each document's graph waits in a spool file until all are written in graph order
        # (in the workers' files with --jobs): memory holds no serialised graph. With a
        # cache, the spool files are packs of it (in the stage if it cannot be written).
        packs = cache_dir is not None and _can_write(cache_dir)
        spool = cache_dir if packs else stage / "spool"
        spool.mkdir(exist_ok=True)
        index = _cache_index(cache_dir) if cache_dir is not None else {}
        cache = (str(cache_dir), index, packs) if cache_dir is not None else None
        results = _results(jobs_list, jobs, extractor_fingerprint(), cache, str(spool), frozen)
        checkpoint = time.monotonic() + _CHECKPOINT
        stream = progress(results) if progress is not None else results
        entries, blocks, mentioned, typed = {}, {}, set(), set()
        try:
            for result in stream:
                if result[0] == "fail":
                    report.failures.append(ReadFailure(result[1], result[2]))
                    continue
                if result[0] == "base":
                    prepared, was_document = result[1], False
                else:
                    _, key, prepared, chars, was_cached, entry = result
                    if entry is not None and packs:  # (None without a cache)
                        entries[key] = entry
                        if not was_cached and time.monotonic() > checkpoint:
                            _checkpoint(cache_dir, index, entries)
                            checkpoint = time.monotonic() + _CHECKPOINT
                    was_document = True
                for graph, nq, trig in prepared.blocks:
                    if graph in blocks:  # the same text in two files: one graph, both sources
                        nq = _merge(_span_bytes(blocks[graph][0]), _span_bytes(nq))
                        trig = _trig_block(graph, nq.splitlines(keepends=True))
                        quads = nq.count(b"\n")
                    else:
                        quads = (prepared.quads if len(prepared.blocks) == 1
                                 else _span_bytes(nq).count(b"\n"))
                    blocks[graph] = (nq, trig, quads)
                mentioned.update(prepared.mentioned)
                typed.update(prepared.typed)
                if not was_document:
                    continue
                report.documents += 1
                report.characters += chars
                report.cached += was_cached
                report.extracted += not was_cached
        except BaseException:  # interrupted: keep what was extracted for the next build
            if entries:
                with contextlib.suppress(Exception):
                    results.close()
                    _checkpoint(cache_dir, index, entries)
            raise
        finally:
            results.close()  # stops the worker processes before anything is cleaned up
        if not report.documents:  # a graph of no document would replace a good one: keep it
            error = InputError("%s; nothing in %s was changed" % (
                "none of the %d input files could be read" % len(files) if len(files) > 1
                else "%s could not be read" % files[0][0], out))
            error.failures = report.failures  # (kg build lists them, as when some fail)
            raise error
        if packs and report.extracted:  # (kept should writing the outputs fail: a full disk)
            _checkpoint(cache_dir, index, entries)
        order = sorted(blocks)
        # N-Quads grouped by named graph, sorted within: canonical, byte-stable, diffable
        _write_blocks(stage / "graph.nq", [blocks[graph][0] for graph in order])
        _write_blocks(stage / "graph.trig", [blocks[graph][1] for graph in order],
                      _trig_header())
        report.triples = sum(b[2] for b in blocks.values())
        report.counts = _class_counts(mentioned, typed)
        del blocks
        if packs:  # (documents no input has any more leave it)
            _cache_update(cache_dir, entries, jobs)
        else:
            shutil.rmtree(spool, ignore_errors=True)
        names = ["graph.nq", "graph.trig"]
        if page:
            from .view import graph_page

            graph = KnowledgeGraph(base=False)
            graph.load(stage / "graph.nq")
            graph_page(graph, stage / "graph.html")
            names.append("graph.html")
            del graph
        if store:
            disk = KnowledgeGraph(path=stage / "store", base=False)
            disk.load(stage / "graph.nq")
            disk.close()
        names += ["summary.md", "summary.json"]
        report.files = [out / n for n in names] + ([out / "store"] if store else [])
        (stage / "summary.md").write_text(_summary_markdown(report), encoding="utf-8")
        (stage / "summary.json").write_text(
            json.dumps(report.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        for name in names:
            with writing(out / name):  # (a folder of that name in the way)
                os.replace(stage / name, out / name)
        if store:
            replace_dir(stage / "store", out / "store")
        elif (out / "store").exists():  # an older store would no longer match the graph
            shutil.rmtree(out / "store", ignore_errors=True)
    finally:
        frozen.release()
        shutil.rmtree(stage, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report

"""Documents from files and folders: encodings, HTML, and clear errors for what cannot be read.

:func:`iter_documents` walks the inputs in a stable order and yields, for each file,
either a :class:`~kg.model.Document` or a :class:`ReadFailure` naming the file and
the reason, so that one bad file never stops a run.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("发布时间：2021-02-07\\n徐连高铁将于8日开通。", encoding="gb18030")
>>> [d.date for d in iter_documents([folder])]
['2021-02-07']
"""
from __future__ import annotations

import codecs
import html
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from .errors import InputError
from .metadata import document_metadata, parse_iso_date
from .model import Document

__all__ = ["read_document", "iter_documents", "find_files", "ReadFailure", "MAX_BYTES",
           "TEXT_SUFFIXES"]

MAX_BYTES = 64 * 1024 * 1024
"""Files larger than this are refused with a message (split them into articles)."""

TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm"}
_ENCODINGS = ("utf-8", "gb18030", "big5")


@dataclass
class ReadFailure:
    """A file that could not be read, and why (one line a person can act on)."""

    path: str
    reason: str

    def __str__(self):
        return "%s: %s" % (self.path, self.reason)


def _decode(data: bytes, path: str, encoding: Optional[str]) -> tuple:
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise InputError("unknown encoding %r given for %s; use a Python codec name such as "
                             "utf-8, gb18030 or big5" % (encoding, path)) from None
        except UnicodeDecodeError as exc:
            raise InputError("%s is not valid %s (byte %d); check --encoding"
                             % (path, encoding, exc.start)) from None
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", "replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:8192]:
        raise InputError("%s looks binary (it holds NUL bytes), not text; give .txt or .html "
                         "files" % path)
    for enc in _ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc != "utf-8" and _looks_garbled(text):
            continue
        return text, enc
    raise InputError("%s is neither UTF-8, GB18030 nor Big5; convert it to UTF-8 or pass "
                     "--encoding" % path)


def _looks_garbled(text: str) -> bool:
    """Text decoded with the wrong codec is rich in rare characters and symbols."""
    sample = text[:4000]
    if not sample:
        return False
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    odd = sum(1 for ch in sample if ch in "\ufffd" or 0xE000 <= ord(ch) <= 0xF8FF)
    return odd > 0 or (cjk == 0 and any(ord(ch) > 0x2000 for ch in sample))


class _ArticleText(HTMLParser):
    """Keeps the visible text of a page; drops scripts, styles, navigation and chrome."""

    SKIP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "template",
            "svg", "form", "button", "select", "iframe"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
             "article", "title", "td", "table", "ul", "ol", "dd", "dt", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip, self.title, self.meta = [], 0, "", {}
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            a = dict(attrs)
            key = (a.get("name") or a.get("property") or "").lower()
            if a.get("content") and key:
                self.meta[key] = a["content"]
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag == "title":
            self._in_title = False
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self.skip:
            self.parts.append(data)


def html_to_text(markup: str) -> tuple:
    """The article text of an HTML page, with its title and date where the page has them."""
    parser = _ArticleText()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\u3000\xa0]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    meta = parser.meta
    date = None
    for key in ("article:published_time", "pubdate", "publishdate", "publish_date", "date",
                "dc.date"):
        if key in meta:
            date = parse_iso_date(meta[key]) or date
            if date:
                break
    title = html.unescape(parser.title).strip() or None
    return text, title, date


def read_document(path: Union[str, Path], *, doc_id: Optional[str] = None,
                  encoding: Optional[str] = None, date: Optional[str] = None) -> Document:
    """Read one file into a :class:`Document`; raise :class:`InputError` if it cannot be read."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("%s does not exist; check the path" % name) from None
    except OSError as exc:
        raise InputError("%s cannot be read (%s)" % (name, exc.strerror or exc)) from None
    if path.is_dir():
        raise InputError("%s is a folder; give it to iter_documents or kg build" % name)
    if size > MAX_BYTES:
        raise InputError("%s is %.0f MB, over the %d MB limit for one document; split it into "
                         "articles" % (name, size / 2**20, MAX_BYTES // 2**20))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError("%s cannot be read (%s); check its permissions"
                         % (name, exc.strerror or exc)) from None
    text, used = _decode(data, name, encoding)
    title = page_date = None
    if path.suffix.lower() in (".html", ".htm") or text.lstrip()[:15].lower().startswith(
            ("<!doctype html", "<html")):
        text, title, page_date = html_to_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("%s is empty (no text to extract); remove it or fill it" % name)
    meta = document_metadata(text)
    return Document(id=doc_id or name, text=text, title=title or meta["title"],
                    date=date or page_date or meta["date"], publisher=meta["publisher"],
                    path=name, encoding=used)


def find_files(inputs: Iterable[Union[str, Path]]) -> Iterator[tuple]:
    """``(path, doc_id)`` for every text file under the inputs, sorted, without duplicates.

    A folder contributes its text files (recursively, by suffix); a file given by name is
    always taken. The document id is the path relative to the folder given.
    """
    seen = set()
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            found = []
            for root, dirs, files in os.walk(item):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in files:
                    p = Path(root) / f
                    if p.suffix.lower() in TEXT_SUFFIXES and not f.startswith("."):
                        found.append(p)
            pairs = [(p, p.relative_to(item).as_posix()) for p in sorted(found)]
            base = item.resolve().name
            pairs = [(p, "%s/%s" % (base, rel)) for p, rel in pairs]
        else:
            pairs = [(item, item.name)]
        for p, doc_id in pairs:
            key = str(p.resolve())
            if key not in seen:
                seen.add(key)
                yield p, doc_id


def iter_documents(inputs: Iterable[Union[str, Path]], *, encoding: Optional[str] = None,
                   date: Optional[str] = None) -> Iterator[Union[Document, ReadFailure]]:
    """Every document under the inputs, or a :class:`ReadFailure` for each that failed."""
    for path, doc_id in find_files(inputs):
        try:
            yield read_document(path, doc_id=doc_id, encoding=encoding, date=date)
        except InputError as exc:
            yield ReadFailure(str(path), str(exc).split(": ", 1)[-1] if str(exc).startswith(
                str(path)) else str(exc))

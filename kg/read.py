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
import stat
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from .errors import InputError
from .metadata import document_metadata, parse_iso_date
from .model import Document

__all__ = ["read_document", "iter_documents", "find_files", "check_encoding", "ReadFailure",
           "MAX_BYTES", "TEXT_SUFFIXES"]

MAX_BYTES = 64 * 1024 * 1024
"""Files larger than this are refused with a message (split them into articles)."""

TEXT_SUFFIXES = {".txt", ".text", ".html", ".htm"}
_ENCODINGS = ("utf-8", "gb18030", "big5")


@dataclass
class ReadFailure:
    """A file that could not be read, and why (one line a person can act on)."""

    path: str
    reason: str

    def __str__(self):
        return "%s: %s" % (self.path, self.reason)


def check_encoding(encoding: Optional[str]) -> None:
    """Raise :class:`InputError` if ``encoding`` (a forced encoding) decodes no text.

    Checked once before a run reads anything: an unknown name is one message, not one per
    file. (``codecs.lookup`` alone takes base64 or rot13, which make no text of bytes; a
    byte is decoded too, as :func:`read_document` will: idna cannot. Not ``b""``: that is
    decoded without looking the codec up.)
    """
    if not encoding:
        return
    advice = "use a Python codec name such as utf-8, gb18030 or big5"
    try:
        text_codec = getattr(codecs.lookup(encoding), "_is_text_encoding", True)
    except LookupError:
        raise InputError("unknown encoding %r; %s" % (encoding, advice)) from None
    if not text_codec:  # hex, base64, rot13, bz2...: bytes to bytes, or text to text
        raise InputError("%r is not a text encoding; %s" % (encoding, advice))
    try:
        b" ".decode(encoding, "replace")
    except (LookupError, UnicodeError, ValueError):  # idna, undefined...
        raise InputError("encoding %r cannot decode a text file; %s" % (encoding, advice)) \
            from None


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
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best, best_score = None, -1.0
    for enc in _ENCODINGS[1:]:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if score > best_score:
            best, best_score = (text, enc), score
    if best is not None and best_score > 0.2:
        return best
    raise InputError("%s is neither UTF-8, GB18030 nor Big5 text; convert it to UTF-8 or pass "
                     "--encoding" % path)


# The most frequent Chinese characters, in simplified and traditional forms: text decoded
# with the right codec is rich in them, text decoded with the wrong one is not.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子"
    "说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机"
    "当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心"
    "反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程"
    "展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期"
    "根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志"
    "世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每"
    "目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律"
    "叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感"
    "劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片"
    "始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞"
    "這個國們會來為對說時從學過動於經產發現點問開長業還種麼後機關與當進實體區樣"
    "兩項總應無條應數當東車廠將區鐵際線協議設計劃辦門網報導灣臺華陸運")


def _plausibility(text: str) -> float:
    """The share of common characters among the CJK characters of a sample of the text."""
    sample = [ch for ch in text[:20000] if "\u4e00" <= ch <= "\u9fff"]
    if not sample:
        return 0.5 if text.isascii() else 0.0
    return sum(ch in _COMMON for ch in sample) / len(sample)


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
        st = path.stat()
    except FileNotFoundError:
        raise InputError("%s does not exist; check the path" % name) from None
    except OSError as exc:
        raise InputError("%s cannot be read (%s)" % (name, exc.strerror or exc)) from None
    size = st.st_size
    if stat.S_ISDIR(st.st_mode):
        raise InputError("%s is a folder, not a file; give the files in it (%s/*.txt), or read "
                         "it whole with kg build (kg.read.iter_documents in Python)"
                         % (name, name.rstrip("/\\")))
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


def find_files(inputs: Iterable[Union[str, Path]],
               skip: Iterable[Union[str, Path]] = ()) -> list:
    """``(path, doc_id)`` for every text file under the inputs, sorted by id, no duplicates.

    A folder contributes its text files (recursively, by suffix), named
    ``<folder>/<relative path>``; a file given by name is always taken, named
    ``<its folder>/<file>``. A file reached twice keeps the smallest of its names, so
    the result does not depend on the order or form of the inputs.

    ``skip``: files and folders that walking a folder passes by (a build's output folder
    inside its input folder: its page is no input). An input named itself is still taken.
    """
    skipped = {_identity(Path(p)) for p in skip}
    names: dict = {}
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            real = _identity(item)
            base = Path(real).name
            for root, dirs, files in os.walk(item):
                # os.walk enters no linked folder, so a file that is no link itself resolves
                # to the resolved folder plus its relative path (one lstat, not one per part)
                rel = os.path.relpath(root, item)
                prefix = base + "/" if rel == "." else "%s/%s/" % (base, Path(rel).as_posix())
                real_root = real if rel == "." else os.path.join(real, rel)
                dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                                 and os.path.join(real_root, d) not in skipped)
                for f in files:
                    if f.startswith(".") or os.path.splitext(f)[1].lower() not in TEXT_SUFFIXES:
                        continue
                    p = os.path.join(root, f)
                    identity = _identity(Path(p)) if os.path.islink(p) else \
                        os.path.join(real_root, f)
                    if identity in skipped:
                        continue
                    names.setdefault(identity, []).append((prefix + f, Path(p)))
        else:
            parent = item.resolve().parent.name if item.exists() else ""
            doc_id = (parent + "/" if parent else "") + item.name
            names.setdefault(_identity(item), []).append((doc_id, item))
    chosen = sorted(min(candidates, key=lambda c: (c[0], str(c[1])))
                    for candidates in names.values())
    return [(p, doc_id) for doc_id, p in chosen]


def _identity(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:
        return str(path.absolute())


def iter_documents(inputs: Iterable[Union[str, Path]], *, encoding: Optional[str] = None,
                   date: Optional[str] = None) -> Iterator[Union[Document, ReadFailure]]:
    """Every document under the inputs, or a :class:`ReadFailure` for each that failed."""
    for path, doc_id in find_files(inputs):
        try:
            yield read_document(path, doc_id=doc_id, encoding=encoding, date=date)
        except InputError as exc:
            yield ReadFailure(str(path), str(exc).split(": ", 1)[-1] if str(exc).startswith(
                str(path)) else str(exc))

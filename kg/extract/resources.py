"""Everything the extractor knows, loaded from data files into automata and tables.

The gazetteer (``data/gazetteer``, ``data/infrastructure.csv``, ``data/industries.csv``) and
the extractor's own word lists (``data/extract/*``) become one :class:`Resources` object per
process: an Aho-Corasick automaton over every name and keyword (places, regions, water bodies,
known links, industries, mechanisms, trigger words), plus the lookup tables the components need.
Nothing here is global: build it with :func:`load_resources` (cached per data folder and
gazetteer) and pass it on.

>>> res = load_resources()
>>> [e.canonical for e in res.entries("彭城")]
['徐州']
>>> sorted(p.short for p in res.gazetteer.abbreviation("宿"))
['宿州', '宿迁']
"""
from __future__ import annotations

import csv
import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import ahocorasick

__all__ = ["Entry", "Resources", "load_resources", "extract_data_dir"]

# Kinds of lexicon entries, in the order they win ties for the same span.
STOP, SELF, PLACE, REGION, WATER, LINK, INDUSTRY, MECHANISM, TOPIC = (
    "stop", "self", "place", "region", "water", "link", "industry", "mechanism", "topic")
_TIE_ORDER = {STOP: 0, WATER: 1, LINK: 2, REGION: 3, SELF: 4, PLACE: 5, MECHANISM: 6,
              INDUSTRY: 7, TOPIC: 8}


@dataclass(frozen=True)
class Entry:
    """What a lexicon word means: its kind, the entity it names, and how."""

    kind: str
    canonical: str
    type: str = ""
    subkind: str = ""
    code: str = ""
    level: str = ""
    form: str = ""          # full | short | alias for places; the scope for self references
    places: tuple = ()      # for known links: the codes of the places they connect
    extra: str = ""


def extract_data_dir(root: Optional[Path] = None) -> Path:
    """The folder of the extractor's word lists (``data/extract``)."""
    from ..resources import data_dir

    return Path(root or data_dir()) / "extract"


def _rows(path: Path):
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(line for line in f if line.strip() and not line.startswith("#"))


def _words(path: Path) -> list:
    with open(path, encoding="utf-8") as f:
        return [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]


def _split(value) -> list:
    return [v for v in (value or "").split("|") if v]


def distance_km(a, b) -> float:
    """Great-circle distance between two places (anything with ``lat``/``lon``).

    >>> from kg.gazetteer import load_gazetteer
    >>> g = load_gazetteer()
    >>> round(distance_km(g.places["320300"], g.places["320700"]))
    183
    """
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


# 北京, 天津, 上海, 重庆: provinces by level, cities to a reader (and to the extractor)
MUNICIPALITIES = frozenset(("110000", "120000", "310000", "500000"))


def place_type(place) -> str:
    """The entity type of an administrative unit: Province, or City (a prefecture, a county,
    a municipality)."""
    return "Province" if place.level == "province" and place.code not in MUNICIPALITIES \
        else "City"

class Resources:
    """The gazetteer and the word lists, indexed for the components."""

    def __init__(self, gazetteer, folder: Path):
        self.gazetteer = gaz = gazetteer
        self.folder = folder = Path(folder)
        self._lexicon: dict[str, list] = {}
        self._derived: dict = {}  # key -> what derived() made
        # places: full names always; short names of prefectures and provinces always; short
        # names of counties only where the context names their prefecture (see components).
        for p in gaz.places.values():
            canonical = self.place_canonical(p)
            kind = place_type(p)
            for n in p.names:
                if len(n) < 2:
                    continue
                form = "full" if n == p.name else ("short" if n == p.short else "alias")
                self._add(n, Entry(PLACE, canonical, kind, "County" if p.level == "county" else "",
                                   p.code, p.level, form))
        for w in _words(folder / "place_stopwords.txt"):
            self._add(w, Entry(STOP, w))
        for r in _rows(folder / "self_references.csv"):
            self._add(r["word"], Entry(SELF, r["word"], form=r["scope"]))
        self.region_kind = {}
        for r in _rows(folder / "regions.csv"):
            self.region_kind[r["canonical"]] = r["kind"]
            names = _split(r["aliases"])
            if not gaz.lookup(r["canonical"]):  # 淮北 the land is named by its aliases only
                names.insert(0, r["canonical"])
            for n in names:
                self._add(n, Entry(REGION, r["canonical"], "Region", r["kind"]))
        for r in _rows(folder / "waterbodies.csv"):
            for n in [r["canonical"]] + _split(r["aliases"]):
                self._add(n, Entry(WATER, r["canonical"], "WaterBody", r["kind"]))
        self.links = {}
        for link in gaz.links:
            places = tuple(c for c in link.connects if c in gaz.places)
            self.links[link.name] = link
            for n in [link.name] + link.aliases:
                self._add(n, Entry(LINK, link.name, "Infrastructure", link.kind, places=places,
                                   extra=link.status))
        self.industry_label = {}
        for t in gaz.industries:
            self.industry_label[t.id] = t.label_zh
            for n in [t.label_zh] + t.aliases:
                if len(n) >= 2:
                    self._add(n, Entry(INDUSTRY, t.label_zh, "Industry", extra=t.id))
        self.mechanism_topic = {}
        for r in _rows(folder / "mechanisms.csv"):
            self.mechanism_topic[r["phrase"]] = r["topic"]
            self._add(r["phrase"], Entry(MECHANISM, r["phrase"], "Agreement", r["kind"],
                                         extra=r["topic"]))
        for w in _words(folder / "topics.txt"):
            self._add(w, Entry(TOPIC, w))
        self.automaton = ahocorasick.Automaton()
        for word, entries in self._lexicon.items():
            # ties: by kind; among industries the concept named exactly, then the later row
            # (more specific concepts are listed after the broader ones)
            rank = {id(e): i for i, e in enumerate(entries)}
            entries.sort(key=lambda e: (_TIE_ORDER[e.kind], e.canonical != word,
                                        -rank[id(e)] if e.kind == INDUSTRY else rank[id(e)]))
            self.automaton.add_word(word, (word, tuple(entries)))
        self.automaton.make_automaton()
        self._longest = _LongestMatcher(self.automaton)

        # endings and word lists
        self.infra_suffixes = {r["suffix"]: (r["kind"], r["linear"] == "yes")
                               for r in _rows(folder / "infrastructure_suffixes.csv")}
        self._families: dict = {}
        self.infra_family = {r["suffix"]: r["family"]
                             for r in _rows(folder / "infrastructure_suffixes.csv")}
        self.park_suffixes = {r["suffix"]: r["canonical"]
                              for r in _rows(folder / "parkzone_suffixes.csv")}
        self.org_suffixes = {r["suffix"]: (r["kind"], r.get("anchored") == "yes")
                             for r in _rows(folder / "organization_suffixes.csv")}
        self.soft_boundary_words = set(_words(folder / "soft_boundary_words.txt"))
        self.agreement_suffixes = {r["suffix"]: (r["kind"], r["normalized"], r["bracketed"] == "yes")
                                   for r in _rows(folder / "agreement_suffixes.csv")}
        self.region_suffixes = [r["suffix"] for r in _rows(folder / "region_suffixes.csv")]
        self.boundary_words = set(_words(folder / "boundary_words.txt"))
        self.generic_words = set(_words(folder / "generic_words.txt"))
        self.abbreviation_stopwords = set(_words(folder / "abbreviation_stopwords.txt"))
        self.zone_county_words = set(_words(folder / "zone_county_words.txt"))
        self.triggers = {r["word"]: (r["status"], r["opening"] == "yes")
                         for r in _rows(folder / "triggers.csv")}
        self.units = {r["unit"]: r["dimension"] for r in _rows(folder / "units.csv")}
        import json

        with open(folder / "patterns.json", encoding="utf-8") as f:
            self.patterns = json.load(f)
        self.generic_automaton = _automaton(self.generic_words)
        # one-character forms
        self.city_abbreviations = {ch: list(codes) for ch, codes in gaz.abbreviations.items()}
        self.province_abbreviations = dict(gaz.province_abbreviations)

    # -- lexicon ---------------------------------------------------------------------------
    def _add(self, word: str, entry: Entry):
        entries = self._lexicon.setdefault(word, [])
        if entry not in entries:
            entries.append(entry)

    def derived(self, key: str, make):
        """What a component makes once from these resources (its compiled patterns), kept
        with them: ``make(self)`` on the first call for ``key``, the same object after."""
        found = self._derived.get(key)  # (called some 20 times per document: kept short)
        if found is None:
            found = self._derived[key] = make(self)
        return found

    def entries(self, word: str) -> list:
        """The lexicon entries of one word (empty if it is not in the lexicon)."""
        found = self._lexicon.get(word)
        return list(found) if found else []

    def family(self, name: str, kind: str = "") -> str:
        """The family of a line by its name's ending (rail, expressway, fastroad...).

        >>> load_resources().family("徐州至宿州快速路"), load_resources().family("徐明高速")
        ('fastroad', 'expressway')
        """
        key = (name, kind)
        found = self._families.get(key)
        if found is None:
            found = {"HighSpeedRail": "rail", "Railway": "rail"}.get(kind, kind.lower())
            for n in range(min(len(name), 6), 0, -1):
                f = self.infra_family.get(name[-n:])
                if f:
                    found = f
                    break
            if len(self._families) >= 65536:  # names of many documents: keep memory bounded
                self._families.clear()
            self._families[key] = found
        return found

    def longest_matches(self, text: str) -> list:
        """Lexicon words in ``text``, leftmost-longest without overlaps: ``(end, (word,
        entries))`` with ``end`` the index of the last character, the shape of
        pyahocorasick's ``iter_long``. The scan runs in ahocorasick_rs (about 5x faster
        here) and is exactly leftmost-longest, where ``iter_long`` loses a word inside a
        longer one the text cuts short (五大连 at the end of a text: 大连 here, nothing there).

        >>> res = load_resources()
        >>> [(end, w) for end, (w, _) in res.longest_matches("徐州至连云港")]
        [(1, '徐州'), (5, '连云港')]
        >>> [[w for _, (w, _) in res.longest_matches(t)] for t in ("去五大连池", "去五大连")]
        [['五大连池'], ['大连']]
        """
        return self._longest(text)

    def longest_spans(self, text: str, keep) -> list:
        """:meth:`longest_matches` as ``(start, end, word, entries)``, ``end`` past the last
        character, without the words beginning or ending with an ASCII character for which
        ``keep(text, end - 1, word)`` is false.

        >>> res = load_resources()
        >>> [(s, e, w) for s, e, w, _ in res.longest_spans("徐州至连云港", None)]
        [(0, 2, '徐州'), (3, 6, '连云港')]
        """
        return self._longest.spans(text, keep)

    def place_canonical(self, place) -> str:
        """The canonical name of an administrative unit: 徐州 for 徐州市, 沛县 for 沛县."""
        if place.level == "county":
            return place.short if place.name.endswith("市") and place.short else place.name
        return place.short or place.name

    def place(self, code: str):
        return self.gazetteer.places.get(code)


class _LongestMatcher:
    """Leftmost-longest scans over the words and values of a pyahocorasick automaton."""

    def __init__(self, automaton):
        import ahocorasick_rs

        words = list(automaton.keys())
        self._values = [automaton.get(w) for w in words]
        self._words = words
        # the words that begin and end with a non-ASCII character (most): see spans()
        self._non_ascii_ends = [w[0] >= "\x80" and w[-1] >= "\x80" for w in words]
        self._scan = ahocorasick_rs.AhoCorasick(
            words, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest) if words else None

    def __call__(self, text: str) -> list:
        if self._scan is None:
            return []
        values = self._values
        return [(end - 1, values[i]) for i, _, end in find_indexes(self._scan, text)]

    def spans(self, text: str, keep) -> list:
        """The same words as ``(start, end, word, entries)``, ``end`` past the last character;
        a word that begins or ends with an ASCII character only if ``keep(text, end - 1,
        word)``. (One pass: the lexical layer's list, made for every text.)"""
        if self._scan is None:
            return []
        values, words, non_ascii_ends = self._values, self._words, self._non_ascii_ends
        return [(start, end) + values[i] for i, start, end in find_indexes(self._scan, text)
                if non_ascii_ends[i] or keep(text, end - 1, words[i])]


def find_indexes(automaton, text: str, **options) -> list:
    """``automaton.find_matches_as_indexes(text, **options)`` of an ``ahocorasick_rs``
    automaton; a text with lone surrogates (which it cannot take) is scanned with U+FFFD
    in their place, at the same offsets."""
    try:
        return automaton.find_matches_as_indexes(text, **options)
    except UnicodeEncodeError:
        from . import _SURROGATE

        return automaton.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text), **options)


def _automaton(words) -> ahocorasick.Automaton:
    a = ahocorasick.Automaton()
    for w in words:
        a.add_word(w, w)
    if len(a):
        a.make_automaton()
    return a


@functools.lru_cache(maxsize=4)
def _cached(gazetteer_folder: Optional[str], folder: str) -> Resources:
    from ..gazetteer import load_gazetteer

    return Resources(load_gazetteer(gazetteer_folder), Path(folder))


def load_resources(gazetteer=None, folder: Optional[Path] = None) -> Resources:
    """The resources for a gazetteer (default: the project's) and a word-list folder.

    With the default gazetteer the result is cached per process, so extractors built in
    the same process (tests, a worker of ``kg build --jobs``) share one set of automata.
    """
    from ..gazetteer import load_gazetteer

    folder = Path(folder) if folder else extract_data_dir()
    if gazetteer is None or gazetteer is load_gazetteer():
        return _cached(None, str(folder))
    return Resources(gazetteer, folder)

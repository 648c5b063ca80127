"""Recognizers: where names are in the text, before deciding which of them stand.

Two layers. The *lexical* layer reads the Aho-Corasick automaton of :mod:`.resources` (places,
regions, water bodies, known links, industries, mechanisms) and resolves places in context
(county short names only near their prefecture; 我市 from the publisher). The *pattern* layer
finds names no list knows, by their endings and shapes: X至Y快速路, 徐宿淮盐铁路, 徐州高新区,
…项目, …集群, …大学, 《…协议》. Each recognizer appends :class:`~.state.Mention` candidates;
:mod:`.identity` decides which stand.
"""
from __future__ import annotations

import bisect
import itertools
import re
from typing import Optional

from ..metadata import dateline_place
from ..rdf import ZONE_NAME
from . import resources as R
from .resources import distance_km
from .state import CONT, MARK, PUNCT, Mention, State, in_text_order

__all__ = ["lexical_layer", "RECOGNIZERS", "extend_left", "is_generic", "resolve_abbreviations"]

P, RG, W, L, I = MARK["City"], MARK["Region"], MARK["WaterBody"], MARK["Infrastructure"], \
    MARK["Industry"]
ZONE_PROVINCES = ("320000", "370000", "410000", "340000")


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _ph(pattern: str) -> str:
    """Placeholders {P} {R} {W} {L} {I} of a tagged-text pattern as regex syntax."""
    for name, mark in (("P", P), ("R", RG), ("W", W), ("L", L), ("I", I)):
        pattern = pattern.replace("{%s}" % name, "(?:%s%s*)" % (mark, CONT))
    return pattern


# -- the lexical layer ------------------------------------------------------------------------

def lexical_layer(state: State, res) -> None:
    """Lexicon matches, leftmost-longest, with places resolved in the document's context."""
    text = state.text
    # (words that begin and end with a Chinese character, most, skip the test of _cuts_word)
    chosen = res.longest_spans(text, _keeps_word)
    state.lexical = chosen
    stop = R.STOP
    state.protected = [(s, e) for s, e, w, entries in chosen if entries[0].kind != stop]
    _self_places(state, res)
    # context for county short names: prefectures named in full or short, and the publisher's
    named_prefectures, named_provinces = set(), set()
    # (each word once: a text names the same places again and again)
    for w, entries in {w: entries for _, _, w, entries in chosen}.items():
        for en in entries:
            if en.kind == R.PLACE:
                if en.level == "prefecture":
                    named_prefectures.add(en.code)
                elif en.level == "province":
                    named_provinces.add(en.code)
            elif en.kind == R.LINK and len(w) > 2:
                # the cities a link's name spells out (徐州至连云港高速铁路, 连云港港)
                named_prefectures.update(
                    e2.code for _, (w2, es2) in res.automaton.iter(w) for e2 in es2
                    if e2.kind == R.PLACE and e2.level == "prefecture" and w2 in w)
            elif en.kind == R.REGION and en.canonical == ZONE_NAME:
                state.zone_named = True
    if "city" in state.self_place:
        named_prefectures.add(state.self_place["city"])
    if state.dateline:
        named_prefectures.add(state.dateline)
    state.named_prefectures = named_prefectures
    topics = {}
    industry_after = tuple(res.patterns["industry_after"])
    add, place_kind = state.candidates.append, R.PLACE
    for s, e, w, entries in chosen:
        head = entries[0]
        if head.kind == place_kind and head.level != "county":
            # the most words: a city or province first, which stands alone (as in
            # _choose_place); tested first, as the kinds exclude each other
            add(Mention(s, e, head.type, head.canonical, kind=head.subkind, code=head.code,
                        rule="gazetteer", priority=1))
            continue
        if head.kind == R.STOP:
            continue
        if head.kind == R.TOPIC:
            topics[e] = (s, w)
            continue
        if head.kind == R.SELF:
            code = state.self_place.get(head.form)
            if code:
                place = res.place(code)
                kind = "Province" if place.level == "province" else "City"
                state.candidates.append(Mention(s, e, kind, res.place_canonical(place), code=code,
                                                rule="self_reference", priority=1,
                                                meta={"self": True}))
            continue
        if head.kind == R.PLACE:  # a county first (cities and provinces are taken above)
            entry = _choose_place(state, res, entries, s, named_prefectures, named_provinces)
            if entry is None:
                continue
            state.candidates.append(Mention(s, e, entry.type, entry.canonical, kind=entry.subkind,
                                            code=entry.code, rule="gazetteer", priority=1))
            continue
        if head.kind == R.MECHANISM:
            start = s
            # the topic may stand apart by a quote or a modifier: 社保卡“一卡通”,
            # 住房公积金异地互认互贷
            gap = next((g for g in res.patterns["mechanism_gaps"]
                        if text.startswith(g, s - len(g)) and s - len(g) in topics), None)
            if e - s and s in topics:
                start = topics[s][0]
            elif gap is not None:
                start = topics[s - len(gap)][0]
            elif head.extra == "required":
                continue
            name = text[start:e].replace("“", "").replace("\"", "")
            state.candidates.append(Mention(start, e, "Agreement", name, kind=head.subkind,
                                            rule="mechanism_lexicon", priority=2))
            continue
        if head.kind == R.LINK:
            link = Mention(s, e, "Infrastructure", head.canonical, kind=head.subkind,
                           places=head.places, rule="known_link", priority=3,
                           meta={"known": True})
            # a known name that spells out its places (徐州至连云港高速铁路) names them too
            inner, last = [], 0
            for end2, (word2, entries2) in sorted(
                    res.automaton.iter(w), key=lambda x: (x[0] - len(x[1][0]), -len(x[1][0]))):
                place = next((en for en in entries2 if en.kind == R.PLACE
                              and en.level != "county"), None)
                start2 = end2 - len(word2) + 1
                if place is not None and len(word2) >= 2 and start2 >= last \
                        and len(word2) < len(w):
                    inner.append(Mention(s + start2, s + end2 + 1, place.type,
                                         place.canonical, code=place.code, rule="gazetteer",
                                         priority=1))
                    last = end2 + 1
            if len({m.code for m in inner}) >= 2:
                link.meta["name_places"] = tuple(m.code for m in inner)
                state.candidates.extend(inner)
            elif head.places and head.subkind not in ("Station", "Port", "Airport"):
                # 连霍高速: the one-character forms its own places resolve (连 连云港);
                # the rest (霍) stays unresolved
                # (without a road's code: G30连霍高速)
                stem = _ROAD_CODE.sub("", w[:len(w) - len(_infra_suffix(res, w))])
                codes = []
                for ch in stem if 2 <= len(stem) <= 4 else ():
                    opts = [c for c in res.city_abbreviations.get(ch, ()) if c in head.places]
                    codes.append(opts[0] if len(opts) == 1 else None)
                if any(codes):
                    link.meta["name_places"] = tuple(c for c in codes if c)
                    if not all(codes):
                        link.meta["partial"] = True
            state.candidates.append(link)
            continue
        meta = {}
        if head.kind == R.INDUSTRY:
            # an industry word counts on its own only where it is spoken of as an industry
            # (or is an item of a list of them: 工程机械、新能源电池产业)
            meta = {"industry": head.extra, "weak": not (text.startswith(industry_after, e)
                                                         or w.endswith(industry_after)
                                                         or _INDUSTRY_LIST_TAIL.match(text, e))}
        state.candidates.append(Mention(s, e, head.type, head.canonical, kind=head.subkind,
                                        rule="%s_lexicon" % head.kind, priority=1, meta=meta))
    state.lex_tagged = tag(text, state.candidates)  # (tag sorts a copy)
    _boundaries(state, res)


# the rest of a list of industries after one of its items: 、新能源电池产业, 和智能家居行业
_INDUSTRY_LIST_TAIL = re.compile(r"(?:[、和及与][^，。；、\s和及与]{2,10}?)+?(?:产业|行业)(?![集园链区])")


_ROAD_CODE = re.compile(r"^[GS]\d{1,4}")


def _keeps_word(text: str, end: int, word: str) -> bool:
    return not _cuts_word(text, end, word)


def _cuts_word(text: str, end: int, word: str) -> bool:
    """True if ``word``, its last character at ``end``, begins or ends with an ASCII letter
    or digit that the text continues (Go in Gobi): not a match there.

    >>> _cuts_word("Gobi", 1, "Go"), _cuts_word("Go!", 1, "Go")
    (True, False)
    """
    start = end - len(word) + 1
    if word[0] < "\x80" and start > 0 and text[start - 1].isascii() \
            and text[start - 1].isalnum():
        return True
    return word[-1] < "\x80" and end + 1 < len(text) and text[end + 1].isascii() \
        and text[end + 1].isalnum()


def _infra_suffix(res, name: str) -> str:
    for n in range(min(len(name), 6), 0, -1):
        if name[-n:] in res.infra_suffixes:
            return name[-n:]
    return ""


def _self_places(state: State, res) -> None:
    """我市/我省 mean the publisher's city and province, found in the publisher's name; the
    dateline's place (新华社济南…电) is kept as a cue for ambiguous names."""
    place = dateline_place(state.text)
    if place:
        found = [en for en in res.entries(place) if en.kind == R.PLACE
                 and en.level == "prefecture"]
        if len(found) == 1:
            state.dateline = found[0].code
    publisher = state.document.publisher or ""
    if not publisher:
        return
    best = None
    for end, (word, entries) in res.automaton.iter(publisher):
        for en in entries:
            if en.kind == R.PLACE and en.level in ("prefecture", "province", "county"):
                if best is None or len(word) > best[0]:
                    best = (len(word), en)
                break
    if best is None:
        return
    place = res.place(best[1].code)
    if place.level == "province":
        state.self_place["province"] = place.code
        return
    pref = res.gazetteer.prefecture_of(place.code)
    state.self_place["city"] = pref.code if pref is not None else place.code
    state.self_place["province"] = place.province


def _choose_place(state, res, entries, pos, named_prefectures, named_provinces):
    if entries[0].kind == R.PLACE and entries[0].level != "county":
        return entries[0]  # the common case: a city or province first, which stands alone
    places = [e for e in entries if e.kind == R.PLACE]
    if not places:
        return None
    top = [e for e in places if e.level != "county"]
    if top:
        return top[0]
    # counties: full names stand alone; short names need their prefecture in context
    ctx = [e for e in places if res.place(e.code).parent in named_prefectures]
    if not ctx and all(e.form != "full" for e in places):
        # a county short name resolved once (河南兰考) is resolved wherever the text uses it
        if state.resolved_counties is None:
            state.resolved_counties = _counties_after_province(state, res)
        ctx = [e for e in places if e.code in state.resolved_counties]
    if len(ctx) == 1:
        return ctx[0]
    if len(ctx) > 1:
        return None
    full = [e for e in places if e.form == "full"]
    if not full:
        # a short name right after its province (安徽砀山) stands too
        before = state.text[max(0, pos - 3):pos]
        for e in places:
            prov = res.place(res.place(e.code).province)
            if prov and prov.short and before.endswith(prov.short):
                return e
        # and in news of the zone (naming it, or one of its cities), the short name of one
        # of its own counties (微山, 邳州, 沭阳): the region's papers write them without
        # their city, which the reader knows.
        # Not a name that other places share (鼓楼), nor one that is also a common word
        # (东海, 牡丹: data/extract/zone_county_words.txt).
        if len(places) == 1:
            counties, members = res.derived("zone_counties", zone_counties)
            if places[0].code in counties and (state.zone_named
                                               or not named_prefectures.isdisjoint(members)):
                return places[0]
        return None
    if len(full) == 1:
        return full[0]
    inzone = [e for e in full if res.place(e.code).province in named_provinces
              or res.place(e.code).province in ZONE_PROVINCES]
    return inzone[0] if len(inzone) == 1 else None


def zone_counties(res) -> tuple:
    """The codes of the zone's counties whose short names stand alone in its news, and the
    codes of the zone's cities (made once per resources: ``res.derived``)."""
    members = frozenset(p.code for p in res.gazetteer.members())
    counties = frozenset(p.code for p in res.gazetteer.places.values()
                         if p.level == "county" and p.parent in members and p.short
                         and p.short not in res.zone_county_words)
    return counties, members


def _counties_after_province(state: State, res) -> set:
    """Codes of the county short names the text writes right after their province (河南兰考)."""
    found = set()
    text = state.text
    for s, e, w, entries in state.lexical:
        for en in entries:
            if en.kind == R.PLACE and en.level == "county":
                prov = res.place(res.place(en.code).province)
                if prov and prov.short and text.endswith(prov.short, max(0, s - 3), s):
                    found.add(en.code)
    return found


class _BoundaryEnds:
    """``pos in ends``: does a boundary word end at ``pos``? Asked only where names are
    extended, so it looks at the few characters before ``pos`` instead of scanning the text."""

    def __init__(self, text: str, words: set, longest: int, last_chars: frozenset,
                 lengths: dict):
        self.text, self.words, self.longest = text, words, longest
        self.last_chars = last_chars  # the last characters of the words
        self.lengths = lengths  # last character -> lengths of the words ending so, longest first

    def __contains__(self, pos: int) -> bool:
        text, words = self.text, self.words
        if pos <= len(text) and text[pos - 1:pos] not in self.last_chars:
            return False  # no word ends with the character before pos (most positions)
        for k in range(1, min(self.longest, pos) + 1):
            if text[pos - k:pos] in words:
                return True
        return False

    def word_at(self, pos: int) -> str:
        """The longest boundary word ending at ``pos`` ('' if none)."""
        text, words = self.text, self.words
        if 0 < pos <= len(text):
            # only the lengths of the words that end with the character before pos
            for k in self.lengths.get(text[pos - 1], ()):
                if k <= pos and text[pos - k:pos] in words:
                    return text[pos - k:pos]
            return ""
        for k in range(min(self.longest, pos), 0, -1):
            if text[pos - k:pos] in words:
                return text[pos - k:pos]
        return ""


def _boundaries(state: State, res) -> None:
    longest = res.derived("longest_boundary_word",
                          lambda r: max(map(len, r.boundary_words), default=0))
    last_chars = res.derived("boundary_last_chars",
                             lambda r: frozenset(w[-1] for w in r.boundary_words if w))
    lengths = res.derived("boundary_lengths", _boundary_lengths)
    state.boundary_ends = _BoundaryEnds(state.text, res.boundary_words, longest, last_chars,
                                        lengths)
    state.protected_end = {e: s for s, e in state.protected}


def _boundary_lengths(res) -> dict:
    """Last character -> the lengths of the boundary words ending with it, longest first."""
    out: dict = {}
    for w in res.boundary_words:
        if w:
            out.setdefault(w[-1], set()).add(len(w))
    return {ch: tuple(sorted(n, reverse=True)) for ch, n in out.items()}


def tag(text: str, mentions) -> str:
    """The text with each mention replaced by its type's marker and CONT characters.

    >>> tag("在徐州工作", [Mention(1, 3, "City", "徐州")]) == "在\\ue010\\ue000工作"
    True
    """
    parts, last = [], 0
    append, city, mark = parts.append, MARK["City"], MARK.get
    for m in in_text_order(mentions):
        start = m.start
        if start < last or m.meta.get("weak"):
            continue
        append(text[last:start])
        last = m.end
        append(mark(m.type, city))
        append(CONT * (last - start - 1))
    append(text[last:])
    return "".join(parts)


# -- helpers ----------------------------------------------------------------------------------

def extend_left(state: State, end: int, limit: int = 20, stop_at_self: bool = True,
                soft: Optional[set] = None, ends: tuple = ()):
    """Where a name ending at ``end`` begins: after punctuation or the last boundary word.

    Lexicon words (places, industries...) are crossed whole, so a boundary word inside
    them (与 in 集成电路与ICT) does not cut the name. Returns None past ``limit``.

    With ``soft`` (words that are verbs in a sentence but nouns inside a name: 发展, 服务,
    保障, 和), such a word does not end the name if a place or region begins it further
    left (安徽省发展和改革委员会, 徐州市人力资源和社会保障局): the name then starts at that
    place; otherwise it starts after the soft word, as with any boundary word. A
    conjunction right after a complete name (one of ``ends``: 江苏师范大学与…) joins two names.
    """
    text = state.text
    s0 = state.sentence_start(max(0, end - 1))
    pos = end
    protected_end = state.protected_end
    boundary_ends = state.boundary_ends
    last_chars = boundary_ends.last_chars  # a boundary word ends at pos only after one
    provisional = None
    while pos > s0:
        if end - pos > limit:
            return provisional
        start = protected_end.get(pos)
        if start is not None and start < pos:
            if stop_at_self and state.text[start:pos] in ("我市", "本市", "我省", "本省"):
                break  # (a name never holds them, whether or not the publisher is known)
            if provisional is not None:
                if state.lex_tagged[start] in _PLACE_MARKS and \
                        text[pos:pos + 1] not in _CONJUNCTIONS:
                    return start
            pos = start
            continue
        ch = text[pos - 1]
        if ch in last_chars:
            word = boundary_ends.word_at(pos)  # the longest boundary word ending here, or ''
            if word:
                if provisional is not None and word in _FOUNDED:
                    return pos
                if soft and pos - len(word) > s0 and (
                        word in soft or provisional is not None and word not in _HARD) and not (
                        word in _CONJUNCTIONS and text.endswith(ends, s0, pos - len(word))):
                    # past a soft word, look on for the place that would begin the name
                    if provisional is None:
                        provisional = pos
                    pos -= len(word)
                    continue
                break
        if ch == "”":
            j = text.rfind("“", max(s0, pos - 14), pos - 1)
            if j >= 0:
                pos = j
                continue
            break
        if ch in "）)":
            j = text.rfind("（" if ch == "）" else "(", max(s0, pos - 10), pos)
            if j >= 0 and _ENUMERATOR.fullmatch(text, j + 1, pos - 1):
                break  # a heading's enumerator, （三）, is not part of the name
            if j >= 0 and _BYLINE.match(text, j + 1, pos - 1):
                break  # a byline, （记者 王蕾）, ends the dateline before the name
            if j >= 0:
                pos = j
                continue
            break
        if ch in PUNCT or ch.isspace() or ch in "“\"":
            break
        pos -= 1
    return provisional if provisional is not None else pos


_ENUMERATOR = re.compile(r"[一二三四五六七八九十\d]+")
_BYLINE = re.compile(r"\s*(?:本报|本台|新华社|见习)?(?:记者|通讯员|特约记者|融媒体记者)")
_PLACE_MARKS = (MARK["City"], MARK["Province"], MARK["Region"])
_HARD = ("的", "在", "由", "是", "为", "将", "把", "对", "向", "从")
# boundary words after which a name begins, soft words and all: (发起)成立了京杭运河航运发展
# 联盟, 在埇桥区召开协同发展座谈会: no name that a place before them begins, and 发展 there is
# part of the name
_FOUNDED = ("了", "成立", "发起", "召开", "举行", "举办", "签署", "签订", "组建", "设立")
_CONJUNCTIONS = ("与", "和", "及", "、", "同")


def is_generic(res, core: str) -> bool:
    """True if ``core`` is only generic words, numbers and quantifiers (重大产业, 50亿元以上).

    >>> from kg.extract.resources import load_resources
    >>> res = load_resources()
    >>> is_generic(res, "省级重大产业"), is_generic(res, "卓曜高效光伏电池")
    (True, False)
    """
    known = res.derived("generic_cores", lambda r: {})  # cores texts name again and again
    found = known.get(core)
    if found is None:
        if len(known) >= 65536:
            known.clear()
        found = known[core] = _generic(res, core)
    return found


def _generic(res, core: str) -> bool:
    """:func:`is_generic`, computed."""
    s = _QUOTES_BRACKETS.sub("", core)
    s = _QUANTITY.sub("", s)
    if len(res.generic_automaton):
        keep = []
        last = 0
        for end, w in res.generic_automaton.iter_long(s):
            start = end - len(w) + 1
            keep.append(s[last:start])
            last = end + 1
        keep.append(s[last:])
        s = "".join(keep)
    return len(_NOT_LETTER.sub("", s)) < 2


_QUOTES_BRACKETS = re.compile(r"[“”\"（）()]")
_QUANTITY = re.compile(r"(?:19|20)\d{2}年度?|第[一二三四五六七八九十\d]+|[\d.]+(?:亿|万|千)?(?:元)?"
                       r"|[一二两三四五六七八九十百千万几多数各]+(?:个|批|项|家|条|座|大|地|市|省|方)")
_NOT_LETTER = re.compile(r"[^\u4e00-\u9fffA-Za-z]")


def _mentions_at(state: State, start: int, end: int, types=("City", "Province")):
    return [m for m in state.candidates_in(start, end) if m.type in types]


def resolve_abbreviations(state: State, res, chars: str, pos: int, family: str = "") -> list:
    """Codes of the places a run of one-character forms names, None where undecided.

    In the order a reader weighs the cues (``shared/reference/huaihai-zone.md``):

    1. a line of the same family already named in the document with compatible places
       (“徐淮”“徐宿”两条快速路 after 徐州至淮北、徐州至宿州快速路);
    2. for a chain with two or more unambiguous members, the single candidate in their common
       province (徐宿淮盐: 宿迁 and 淮安, a chain of Jiangsu cities), then the reading that makes
       a clearly shorter path through the run;
    3. a candidate named in the same sentence; the path again, for a single anchor;
    4. a candidate named clearly more often in the document.

    Otherwise the character stays unresolved (None).
    """
    gaz = res.gazetteer
    options = [res.city_abbreviations.get(ch, []) for ch in chars]
    if not all(options):
        return [None] * len(chars)
    result = [opts[0] if len(opts) == 1 else None for opts in options]
    ambiguous = [i for i, opts in enumerate(options) if len(opts) > 1]
    if not ambiguous:
        return result
    anchors = [c for c in result if c]
    doc_codes, lines = _tallies(state, res)
    # 1. a compatible line of the same family in the document
    if family:
        for m in lines.get(family, ()):
            if m.start == pos:
                continue
            places = set(m.places)
            if not set(anchors) <= places:
                continue
            picks = [[c for c in options[i] if c in places] for i in ambiguous]
            if all(len(p) == 1 for p in picks) and len(places) == len(chars):
                for i, p in zip(ambiguous, picks):
                    result[i] = p[0]
                return result
    s, e = state.sentence_span(pos)
    sentence_codes = {m.code for m in _mentions_at(state, s, e) if m.code
                      and not m.meta.get("abbreviation")}
    best = _shortest_path(gaz, options, result, ambiguous) if anchors else None
    if len(anchors) >= 2:
        provinces = {gaz.places[c].province for c in anchors}
        if len(provinces) == 1:
            picks = [[c for c in options[i] if gaz.places[c].province in provinces]
                     for i in ambiguous]
            if all(len(p) == 1 for p in picks):
                for i, p in zip(ambiguous, picks):
                    result[i] = p[0]
                return result
        if best is not None and best[1] <= 0.75:
            return best[0]
    for i in ambiguous:
        in_sentence = [c for c in options[i] if c in sentence_codes]
        if len(in_sentence) == 1:
            result[i] = in_sentence[0]
    # the place the story is filed from, or its publisher's city (新华社济南…电: 济 is 济南)
    home = [c for c in (state.dateline, state.self_place.get("city")) if c]
    for i in ambiguous:
        if result[i] is None:
            at_home = [c for c in options[i] if c in home]
            if len(at_home) == 1:
                result[i] = at_home[0]
    if best is not None and best[1] <= 0.6 and all(result[i] is None for i in ambiguous):
        return best[0]
    for i in ambiguous:
        if result[i] is not None:
            continue
        counts = sorted(((doc_codes.get(c, 0), c) for c in options[i]), reverse=True)
        if counts[0][0] and counts[0][0] >= 2 * counts[1][0]:
            result[i] = counts[0][1]
    return result


def _tallies(state: State, res) -> tuple:
    """``(doc_codes, lines)`` of the candidates so far: how many times each city's code is
    named other than by a one-character form, and by family the lines with two places or
    more, in the candidates' order. Kept on the state and brought up to date as candidates
    are added (they are only ever appended), instead of a scan of every candidate for each
    run of forms."""
    doc_codes, lines, count = state.tallies
    cands = state.candidates
    if count > len(cands):
        doc_codes, lines, count = {}, {}, 0
    for i in range(count, len(cands)):
        m = cands[i]
        if m.code and m.type == "City" and not m.meta.get("abbreviation"):
            doc_codes[m.code] = doc_codes.get(m.code, 0) + 1
        elif m.type == "Infrastructure" and len(m.places) >= 2:
            lines.setdefault(res.family(m.canonical, m.kind), []).append(m)
    state.tallies = (doc_codes, lines, len(cands))
    return doc_codes, lines


def _shortest_path(gaz, options, result, ambiguous):
    """The reading with the shortest path through the run, and its ratio to the runner-up."""
    import itertools

    combos = []
    for choice in itertools.product(*[options[i] for i in ambiguous]):
        seq = list(result)
        for i, c in zip(ambiguous, choice):
            seq[i] = c
        places = [gaz.places[c] for c in seq]
        combos.append((sum(distance_km(a, b) for a, b in zip(places, places[1:])), seq))
    combos.sort(key=lambda c: c[0])
    if len(combos) == 1:
        return combos[0][1], 0.0
    return combos[0][1], combos[0][0] / max(combos[1][0], 1e-9)


def _canonical(res, code: str) -> str:
    return res.place_canonical(res.place(code))


# -- pattern recognizers ----------------------------------------------------------------------

class _Patterns:
    """Regexes compiled once per resources object."""

    def __init__(self, res):
        linear = [s for s, (k, lin) in res.infra_suffixes.items() if lin]
        self.linear_suffix = {s: res.infra_suffixes[s][0] for s in linear}
        sfx = _alt(linear)
        abbr = "".join(sorted(res.city_abbreviations))
        self.abbr_chars = set(abbr)
        one = "[%s]" % re.escape(abbr)
        run = one + "{2,6}"
        # X至Y…线, X至Y至Z…线 (a line through three), and lists of them
        item = r"{P}(?:(?:至|到|—|－|-|~){P})+"
        self.route = re.compile(_ph(
            r"(?P<pairs>" + item + r"(?:[、和及与]" + item + r")*)"
            r"(?P<fill>[^，。；、,;：:\ue000-\ue01f段]{0,8}?)(?P<suffix>" + sfx + ")"))
        self.route_item = re.compile(_ph(item))
        self.place_mark = re.compile(P)  # (a place of a route, as {P} marks it)
        self.abbr_line = re.compile("(?P<run>%s)(?P<suffix>%s)" % (run, sfx))
        item = "[\u4e00-\u9fff]{2,4}"
        self.abbr_list = re.compile(
            r"(?P<runs>(?:“%s”[、]?){2,}|%s(?:、%s)+)(?:两|三|四|五|\d+)条(?P<fill>[^，。；]{0,6}?)"
            r"(?P<suffix>%s)" % (item, item, item, sfx))
        # Several regexes here start with a character class where a plain form would start with
        # a choice ((?:两|\d+), “?, a lookbehind): the regex engine then skips ahead to the
        # characters a match can start with instead of trying every position. A lookbehind
        # right after that class tells which choice the character began, so the matches,
        # and the order in which they are tried, stay those of the plain form (kept in the
        # comments).
        # (?:两|三|四|五|\d+)条…
        self.abbr_list_anchor = re.compile(
            r"[两三四五\d](?:(?<=[两三四五])|(?<=\d)\d*)条[^，。；]{0,6}?(?:%s)" % sfx)
        # its matches end at most this far after the start of their 条 (条, 6, the suffix)
        self.abbr_list_reach = 1 + 6 + max(map(len, linear), default=0)
        # (?P<run>“?[abbr]{2,6}”?)(?=…两地): “ is no abbreviation, so a run opened by “ has
        # 2-6 abbreviations after it, any other run 1-5 after its first
        self.abbr_places = re.compile(
            r"(?P<run>[“%s](?:(?<=“)%s{2,6}|(?<!“)%s{1,5})”?)"
            r"(?=(?:两|三|四|五|六|七|八|九|十|\d+)(?:地|市|城))" % (re.escape(abbr), one, one))
        self.station = re.compile(_ph(r"(?P<p>{P})(?P<dir>[东西南北]?)站(?![点在起台稳长务])"))
        self.port = re.compile(_ph(r"(?P<p>{P})港(?![口区务城湾])"))
        self.port_area = re.compile(_ph(r"(?P<p>{P})港区"))
        self.airport = re.compile(_ph(r"(?P<p>{P})(?P<mod>[\u4e00-\u9fff]{0,4}?)(?P<suf>国际机场|机场)"))
        self.bridge = re.compile(_ph(r"{W}(?:特大桥|大桥)"))
        # a port's areas: 连云港港徐圩港区, 徐州港双楼作业区 (named after no place)
        self.port_part = re.compile(_ph(r"(?P<l>{L})(?P<n>[\u4e00-\u9fff]{2,3}?)(?:港区|作业区)"))
        self.port_part_of_place = re.compile(_ph(
            r"(?P<p>{P})港(?P<n>[\u4e00-\u9fff]{2,3}?)(?:港区|作业区)"))
        park = _alt(res.park_suffixes)
        self.park_suffix = re.compile(park)
        self.park = re.compile(_ph(
            r"(?P<ps>{P}(?:[—－-]?{P})?)(?P<mod>[^\ue000-\ue01f，。、；：\s的在与和及是将]{0,6}?)"
            r"(?P<suf>" + park + ")"))
        # (?<![\u4e00-\u9fff])(?P<run>[abbr]{2,3})…: no Chinese character before the run, tested
        # after its first character (which the lookbehind's second class always takes)
        self.park_abbr = re.compile(r"(?P<run>%s(?<![\u4e00-\u9fff]%s)%s{1,2})(?P<suf>%s)"
                                    % (one, one, one, park))
        self.park_abbr2 = re.compile(r"(?P<run>[%s]{2,3})(?P<suf>%s)" % (re.escape(abbr), park))
        self.region = re.compile(_ph(r"(?P<p>{P}|{R})(?P<suf>" + _alt(res.region_suffixes) + ")"))
        # (an optional lookbehind, (?<![\u4e00-\u9fff])?, used to stand first: it matches
        # everywhere, so it changed nothing but kept the regex engine from skipping ahead to
        # the characters a match can start with)
        self.region_part = re.compile(
            r"(?P<p>[%s](?:东南|西南|东北|西北|东|西|南|北|中))(?P<suf>%s)"
            % (re.escape("".join(res.province_abbreviations)), _alt(res.region_suffixes)))
        prov = "".join(sorted(res.province_abbreviations))
        self.province_run = re.compile("[%s]{2,5}" % re.escape(prov))
        # each alternative starts with a character, so the regex engine skips ahead to them
        works = sorted(res.patterns["works_verbs"], key=len, reverse=True)
        self.project = re.compile(r"(?:项目|产业园(?![区项])|%s)" % "|".join(
            [re.escape(w) + "工程" for w in works] or ["工程"]))
        self.bracket_park = re.compile(_ph(
            r"(?P<a>[\u4e00-\u9fffA-Za-z]{2,8})[（(](?P<p>{P})[）)](?P<b>[\u4e00-\u9fff]{0,10}?)"
            r"(?P<suf>" + park + r"|基地|合作基地)"))
        self.bracket_anchor = re.compile(_ph(r"[（(]{P}[）)]"))
        self.industry_list = re.compile(_ph(res.patterns["industry_list"]))
        # 等…产业, or counted: 四大主导产业
        self.industry_anchor = re.compile(
            r"(?:等|[两三四五六七八九十](?:大|个))[^，。；、\s]{0,4}?(?:产业|行业)(?![集园链])")
        # (?:等|(?:\d+|[一二两三四五六七八九十]+)个)…集群, starting with a class (see above)
        self.cluster_anchor = re.compile(
            r"[等\d一二两三四五六七八九十](?:(?<=等)|(?<=\d)\d*[个大]|(?<=[一二两三四五六七八九十])"
            r"[一二两三四五六七八九十]*[个大])[^，。；、\s等]{0,8}?集群")
        self.cluster = re.compile(r"集群")
        # 工程机械、安全应急等集群; counted, 工程机械和绿色低碳能源两大(千亿级产业)集群
        self.cluster_list = re.compile(
            r"(?P<items>[^，。；、\s]{2,14}(?:、[^，。；、\s]{2,14})+)(?:等|(?:\d+|[一二两三四五六七八九十]+)[个大])"
            r"(?P<fill>[^，。；、\s等]{0,8}?)集群"
            r"|(?P<pair>[^，。；、\s]{2,14}[和及与][^，。；、\s]{2,14})(?:两|2)[个大]"
            r"[^，。；、\s等]{0,8}?集群")
        self.org = re.compile(_alt(res.org_suffixes))
        self.org_ends = tuple(res.org_suffixes)
        self.agreement_suffix = re.compile("(?:%s)$" % _alt(res.agreement_suffixes))
        import ahocorasick_rs

        # every occurrence of the endings, overlapping ones too (the text's UTF-8 form, which
        # ahocorasick_rs scans, is kept with the text since the lexicon's scan)
        self.bare_agreement_words = [suffix for suffix, v in res.agreement_suffixes.items()
                                     if not v[2]]
        self.bare_agreement_automaton = ahocorasick_rs.AhoCorasick(
            self.bare_agreement_words) if self.bare_agreement_words else None
        self.title = re.compile(r"《(?P<name>[^《》\n]{2,60})》")
        self.agreement_verb = re.compile("(?:%s)了?" % _alt(res.patterns["agreement_verbs"]))
        self.quoted = re.compile(r"“(?P<name>[^“”\n]{2,12})”")
        self.system = re.compile(res.patterns["cluster_system"])
        self.designation = re.compile(res.patterns["designation_prefix"])


def patterns(res) -> _Patterns:
    return res.derived("names", _Patterns)


def routes(state: State, res) -> None:
    """X至Y高速铁路, X至Y快速路, and coordinated forms (徐州至淮北、徐州至宿州2条快速路)."""
    pat = patterns(res)
    t = state.lex_tagged
    for m in pat.route.finditer(t):
        kind = pat.linear_suffix[m.group("suffix")]
        items = list(pat.route_item.finditer(t, m.start("pairs"), m.end("pairs")))
        single = len(items) == 1
        for im in items:
            places = [_place_at(state, pm.start())
                      for pm in pat.place_mark.finditer(t, im.start(), im.end())]
            if any(p is None for p in places):
                continue
            codes = [p.code for p in places]
            if len(set(codes)) < len(codes):
                continue  # (徐州至徐州: no line)
            canonical = "至".join(p.canonical for p in places) + m.group("suffix")
            end = m.end() if single else im.end()
            state.candidates.append(Mention(
                im.start(), end, "Infrastructure", canonical, kind=kind, places=tuple(codes),
                rule="route_pair", priority=2,
                aliases=(state.text[im.start():im.end()] + m.group("suffix"),)))


def _place_at(state: State, start: int) -> Optional[Mention]:
    # the first of state.candidates_in(start, start + 64) starting at start with a code, a
    # city or province: looked up in the index, without listing the others
    cs, starts = state.candidate_index()
    i = bisect.bisect_left(starts, start)
    limit = start + 64
    for i in range(i, len(cs)):
        m = cs[i]
        if m.start != start:
            break
        if m.end <= limit and m.code and m.type in ("City", "Province"):
            return m
    return None


def abbreviated_lines(state: State, res) -> None:
    """徐连高铁, 徐宿淮盐铁路, "徐淮""徐宿"两条快速路: lines named by one-character forms."""
    pat = patterns(res)
    text = state.text
    spans = []
    for m in _anchored(pat.abbr_list, pat.abbr_list_anchor, text, state, needs="条",
                       reach=pat.abbr_list_reach):
        suffix = m.group("suffix")
        for rm in re.finditer(r"[^“”、]+", m.group("runs")):
            spans.append((m.start("runs") + rm.start(), m.start("runs") + rm.end(), suffix, True))
    for m in pat.abbr_line.finditer(text):
        spans.append((m.start("run"), m.end("run"), m.group("suffix"), False))
    for start, end, suffix, listed in spans:
        run = text[start:end]
        if listed and not all(ch in pat.abbr_chars for ch in run):
            # a line in a list named otherwise (陇海、京九两条铁路): the name alone
            first = extend_left(state, end, limit=4) if start == _list_start(text, start) \
                else start
            if first is None or end - first < 2:
                continue
            name = text[first:end] + suffix
            state.candidates.append(Mention(first, end, "Infrastructure", name,
                                            kind=pat.linear_suffix[suffix],
                                            rule="line_list", priority=2))
            continue
        start, run = _trim_run(text, start, run, res)
        if len(run) < 2 or len(set(run)) < len(run):
            continue
        codes = resolve_abbreviations(state, res, run, start, res.family(suffix))
        known = [c for c in codes if c]
        if len(set(known)) < 2 and len(known) == len(codes):
            continue
        if not known and not (start == 0 or text[start - 1] in PUNCT
                              or start in state.boundary_ends):
            continue  # nothing resolved and no clear start: not trusted as a name
        kind = pat.linear_suffix[suffix]
        name = run + suffix
        state.candidates.append(Mention(
            start, end if listed else end + len(suffix), "Infrastructure", name, kind=kind,
            places=tuple(known), rule="abbreviated_line", priority=2,
            meta={"abbreviation": run, "unresolved": [ch for ch, c in zip(run, codes) if not c]}))
        for i, (ch, code) in enumerate(zip(run, codes)):
            if code:
                place = res.place(code)
                state.candidates.append(Mention(
                    start + i, start + i + 1, "City", _canonical(res, code), code=code,
                    kind="County" if place.level == "county" else "", rule="abbreviation",
                    priority=0, meta={"abbreviation": True}))


def _anchored(rx, anchor, text: str, state: State, needs: str = "", reach: int = -1) -> list:
    """Matches of a list pattern ``rx``, tried only in sentences where its ``anchor`` (等…产业)
    occurs, and only up to that anchor: lists are rare, sentences many. ``needs`` is a word
    every anchor holds (条, 集群): a text without it is not searched at all. With ``reach``
    (an anchor ends at most that many characters after the start of its ``needs``), the text
    past the last ``needs`` and ``reach`` is not searched for anchors either."""
    out = []
    if needs not in text:
        return out
    done = -1
    end = len(text) if reach < 0 else text.rfind(needs) + reach
    for a in anchor.finditer(text, 0, end):
        s, _ = state.sentence_span(a.start())
        if a.end() <= done:
            continue
        for m in rx.finditer(text, s, a.end()):
            if m.end() == a.end():
                out.append(m)
        done = a.end()
    return out


def _trim_run(text: str, start: int, run: str, res) -> tuple:
    """Drop the characters of a run that belong to a common word (开通徐连 -> 徐连)."""
    cut = 0
    for i in range(len(run)):
        if text[start + i - 1:start + i + 1] in res.abbreviation_stopwords and start + i > 0:
            cut = i + 1
    return start + cut, run[cut:]


def _list_start(text: str, start: int) -> int:
    return start if text[start - 1:start] not in ("、", "”", "“") else -1


def abbreviated_places(state: State, res) -> None:
    """徐济两地, “临枣济菏”四市: places named by one-character forms before 两地/四市."""
    pat = patterns(res)
    text = state.text
    for m in pat.abbr_places.finditer(text):
        run = m.group("run").strip("“”")
        start = m.start("run") + (1 if m.group("run").startswith("“") else 0)
        while len(run) > 2 and text[start - 1:start + 1] in res.abbreviation_stopwords:
            start, run = start + 1, run[1:]
        if len(set(run)) < len(run):
            continue
        codes = resolve_abbreviations(state, res, run, start)
        if not all(codes) or len(set(codes)) < 2:
            continue
        for i, code in enumerate(codes):
            state.candidates.append(Mention(
                start + i, start + i + 1, "City", _canonical(res, code), code=code,
                rule="abbreviated_places", priority=2, meta={"abbreviation": True}))


def points(state: State, res) -> None:
    """Stations (徐州东站), ports (日照港) and airports named after a place; bridges named
    after the water they cross (新沂河特大桥)."""
    pat = patterns(res)
    t = state.lex_tagged
    # (each pattern needs a word, 站 港 港区 机场: a text without it is not searched)
    for m in pat.station.finditer(t) if "站" in t else ():
        p = _place_at(state, m.start("p"))
        if p is None:
            continue
        name = state.text[m.start():m.end()]
        state.candidates.append(Mention(m.start(), m.end(), "Infrastructure", name, kind="Station",
                                        places=(p.code,), rule="station", priority=2,
                                        meta={"hides_places": True}))
    for m in pat.port.finditer(t) if "港" in t else ():
        p = _place_at(state, m.start("p"))
        if p is None or p.meta.get("self"):
            continue
        state.candidates.append(Mention(m.start(), m.end(), "Infrastructure",
                                        p.canonical + "港", kind="Port", places=(p.code,),
                                        rule="port", priority=2))
    for m in pat.port_area.finditer(t) if "港区" in t else ():
        p = _place_at(state, m.start("p"))
        if p is None or p.meta.get("self"):
            continue
        state.candidates.append(Mention(m.start(), m.end(), "Infrastructure",
                                        state.text[m.start():m.end()], kind="Port",
                                        places=(p.code,), rule="port_area", priority=2,
                                        meta={"hides_places": True}))
    for m in pat.airport.finditer(t) if "机场" in t else ():
        p = _place_at(state, m.start("p"))
        if p is None:
            continue
        state.candidates.append(Mention(m.start(), m.end(), "Infrastructure",
                                        state.text[m.start():m.end()], kind="Airport",
                                        places=(p.code,), rule="airport", priority=2))
    for m in pat.port_part.finditer(t) if "区" in t else ():
        port = [c for c in state.candidates_in(m.start("l"), m.end("l"))
                if c.start == m.start("l") and c.kind == "Port"]
        if not port or is_generic(res, m.group("n")):
            continue
        state.candidates.append(Mention(m.start(), m.end(), "Infrastructure",
                                        port[0].canonical + state.text[m.start("n"):m.end()],
                                        kind="Port", places=port[0].places, rule="port_part",
                                        priority=2))
    for m in pat.port_part_of_place.finditer(t) if "区" in t else ():
        p = _place_at(state, m.start("p"))
        if p is None or p.meta.get("self") or is_generic(res, m.group("n")):
            continue
        state.candidates.append(Mention(m.start(), m.end(), "Infrastructure",
                                        p.canonical + "港" + state.text[m.start("n"):m.end()],
                                        kind="Port", places=(p.code,), rule="port_part",
                                        priority=2))
    for m in pat.bridge.finditer(t) if "大桥" in t else ():
        state.candidates.append(Mention(m.start(), m.end(), "Infrastructure",
                                        state.text[m.start():m.end()], kind="Bridge",
                                        rule="bridge", priority=2))


def parks(state: State, res) -> None:
    """徐州高新区, 临沂经济技术开发区, 宿州马鞍山现代产业园区, 苏宿工业园区."""
    pat = patterns(res)
    text, t = state.text, state.lex_tagged
    if not pat.park_suffix.search(text):
        return  # every match ends with a park's ending (in the text, as in the tagged text)
    for m in pat.park.finditer(t):
        places = [p for p in _mentions_at(state, m.start("ps"), m.end("ps")) if p.code]
        if not places or text[m.end():m.end() + 2] == "项目":
            continue
        suffix = res.park_suffixes[m.group("suf")]
        prefix = "".join(p.canonical if not p.meta.get("self") else text[p.start:p.end]
                         for p in places)
        dashed = len(places) == 2 and places[0].end < places[1].start
        if dashed:
            prefix = text[m.start("ps"):m.end("ps")]  # 贾汪—台儿庄: as written
        if any(p.meta.get("self") for p in places):
            continue
        canonical = prefix + m.group("mod") + suffix
        state.candidates.append(Mention(
            m.start(), m.end(), "ParkZone", canonical, places=tuple(p.code for p in places),
            rule="park", priority=2, aliases=(text[m.start():m.end()],),
            meta={"each_place": dashed}))
    for rx in (pat.park_abbr, pat.park_abbr2):
        for m in rx.finditer(text):
            run = m.group("run")
            start = m.start("run")
            if _mentions_at(state, start, m.end("run")):
                continue
            while len(run) > 2 and text[start - 1:start + 1] in res.abbreviation_stopwords:
                start, run = start + 1, run[1:]
            if len(run) < 2 or text[start - 1:start + 1] in res.abbreviation_stopwords:
                continue
            codes = resolve_abbreviations(state, res, run, start)
            if not all(codes) or len(set(codes)) < len(codes):
                continue
            state.candidates.append(Mention(
                start, m.end(), "ParkZone", text[start:m.end()], places=tuple(codes),
                rule="park_abbreviation", priority=2))


def bracketed_parks(state: State, res) -> None:
    """中哈（连云港）物流合作基地: a park named with its place in brackets, located there."""
    pat = patterns(res)
    text = state.text
    t = state.lex_tagged
    if "（" + P not in t and "(" + P not in t:
        return  # no place in brackets, which each match begins with (the anchor)
    for anchor in pat.bracket_anchor.finditer(t):
        m = pat.bracket_park.search(t, max(0, anchor.start() - 8), anchor.end() + 14)
        if m is None or m.start("p") != anchor.start() + 1:
            continue
        p = _place_at(state, m.start("p"))
        if p is None:
            continue
        start = extend_left(state, m.end("a"), limit=8)
        if start is None or start < m.start("a") - 0:
            start = m.start("a")
        canonical = text[start:m.end("a")] + m.group("b") + m.group("suf")
        state.candidates.append(Mention(start, m.end(), "ParkZone", canonical, places=(p.code,),
                                        rule="bracketed_park", priority=3,
                                        aliases=(text[start:m.end()],),
                                        meta={"hides_places": True}))


def industries(state: State, res) -> None:
    """Industries listed as such: 酿酒、光伏新能源、纺织服装等产业; 民权的冷链物流、虞城的…等特色产业."""
    pat = patterns(res)
    text, t = state.text, state.lex_tagged
    for m in _anchored(pat.industry_list, pat.industry_anchor, t, state):
        first_sep = t.find("、", m.start("items"))
        start = extend_left(state, first_sep, limit=12)
        if start is None:
            continue
        pos = start
        body = t[start:m.end("items")]
        for item in body.split("、"):
            s = pos
            pos += len(item) + 1
            place = None
            k = item.find("的")
            if k > 0 and item[0] in (P, MARK["Province"]):
                place = _place_at(state, s)
                s, item = s + k + 1, item[k + 1:]
            elif item[:1] == P and len(item.lstrip(P + CONT)) < len(item) - 1:
                # 沭阳花木、泗阳食品: a place and its industry
                j = len(item) - len(item[1:].lstrip(CONT))
                place = _place_at(state, s)
                s, item = s + j, item[j:]
            elif s == start and text[s - 1:s] == "的":
                before = [c for c in state.candidates if c.end == s - 1 and c.code]
                place = before[0] if before else None
            raw = text[s:s + len(item)]
            if len(raw) < 2 or len(raw) > 10 or is_generic(res, raw) or any(
                    ch in "\ue010\ue011\ue012\ue019\ue01a" for ch in item):
                continue
            canonical = raw
            exact = [en for en in res.entries(raw) if en.kind == R.INDUSTRY]
            if exact:
                canonical = exact[0].canonical
            else:
                inside = [c for c in state.candidates if c.type == "Industry"
                          and s <= c.start and c.end <= s + len(raw)]
                if inside and inside[0].start == s:
                    canonical = inside[0].canonical
            state.candidates.append(Mention(
                s, s + len(raw), "Industry", canonical, rule="industry_list", priority=2,
                aliases=(raw,), meta={"place": place, "list_start": start}))


def regions(state: State, res) -> None:
    """徐州科创圈, 鲁南经济圈: a place or region and a region ending."""
    pat = patterns(res)
    for m in pat.region.finditer(state.lex_tagged):
        inner = _mentions_at(state, m.start("p"), m.end("p"), ("City", "Province", "Region"))
        if not inner or inner[0].meta.get("self"):
            continue
        name = inner[0].canonical + m.group("suf")
        state.candidates.append(Mention(m.start(), m.end(), "Region", name,
                                        places=(inner[0].code,) if inner[0].code else (),
                                        rule="region_suffix", priority=2))
    for m in pat.region_part.finditer(state.text):
        # 鲁东南城市群, 苏北经济圈: part of a province and a region ending
        state.candidates.append(Mention(m.start(), m.end(), "Region", m.group(0),
                                        rule="region_part", priority=2))


def provinces(state: State, res) -> None:
    """苏鲁豫皖, 苏皖: provinces by their one-character forms, in runs of two or more."""
    pat = patterns(res)
    text = state.text
    city_chars = res.derived("city_abbreviation_chars",
                             lambda r: frozenset(r.city_abbreviations))
    regions = None  # (start, end) of the regions, listed when a run gets that far
    run_after = tuple(res.patterns["province_run_after"])
    run_before = tuple(res.patterns["province_run_before"])
    for m in pat.province_run.finditer(text):
        s, e = m.span()
        if e - s == 2 and not text.startswith(run_after, e, e + 3) \
                and not text.endswith(run_before, max(0, s - 3), s):
            # the test of the cue words below, first for a run of two, which most are, and
            # which it drops: the tests before it only drop runs too, and cut none of two
            continue
        run = m.group(0)
        if len(set(run)) < len(run) or all(ch in city_chars for ch in run):
            continue
        if any(ch not in res.province_abbreviations for ch in run):
            continue
        start = m.start()
        while len(run) > 2 and text[start - 1:start + 1] in res.abbreviation_stopwords:
            start, run = start + 1, run[1:]
        if text[start - 1:start + 1] in res.abbreviation_stopwords:
            continue
        # (the cheap test first, which drops most runs: the tests are independent)
        after = text[m.end():m.end() + 3]
        before = text[max(0, m.start() - 3):m.start()]
        if len(run) < 3 and not after.startswith(run_after) \
                and not before.endswith(run_before):
            continue
        if regions is None:  # (the loop adds places only: no region comes or goes)
            regions = sorted((c.start, c.end) for c in state.candidates if c.type == "Region")
            # the furthest end of the regions starting at or before each one's start
            reach = list(itertools.accumulate((b for _, b in regions), max))
            region_starts = [a for a, _ in regions]
        # inside a region: one starting at or before the run reaches its end
        k = bisect.bisect_right(region_starts, start)
        if k and reach[k - 1] >= m.end():
            continue
        for i, ch in enumerate(run):
            code = res.province_abbreviations[ch]
            place = res.place(code)
            kind = R.place_type(place)
            state.candidates.append(Mention(start + i, start + i + 1, kind,
                                            res.place_canonical(place), code=code,
                                            rule="province_abbreviation", priority=0,
                                            meta={"abbreviation": True}))


def projects(state: State, res) -> None:
    """…项目, …产业园, …基地 with a name of their own (not 重大项目, 该项目)."""
    pat = patterns(res)
    text = state.text
    for m in pat.project.finditer(text):
        start = extend_left(state, m.start(), limit=24)
        if start is None or m.start() - start < 2:
            continue
        core = text[start:m.start()]
        if is_generic(res, core) or pat.designation.match(core):
            continue
        # a place and generic words: a batch (宿州市二季度重大项目), not a project's name
        places = [p for p in _mentions_at(state, start, m.start(), ("City", "Province"))
                  if p.start == start]
        if places and is_generic(res, text[places[0].end:m.start()]):
            continue
        name = text[start:m.end()].strip("“”\"")
        state.candidates.append(Mention(start, m.end(), "Project", name, rule="project_suffix",
                                        priority=2))


def clusters(state: State, res) -> None:
    """…集群, enumerations (工程机械、安全应急等集群) and systems (“343”创新产业集群)."""
    pat = patterns(res)
    text = state.text
    listed = set()
    for m in _anchored(pat.cluster_list, pat.cluster_anchor, text, state, needs="集群",
                       reach=len("集群")):
        group = "items" if m.group("items") else "pair"
        items_start, items_end = m.span(group)
        # the first item ends at the first 、 (or, of a pair, at its 和/及/与)
        first_end = (text.find("、", items_start) if group == "items" else
                     min(i for i in (text.find(c, items_start, items_end) for c in "和及与")
                         if i >= 0))
        start = extend_left(state, first_end, limit=14)
        if start is None:
            continue
        pos = start
        items = (text[start:items_end].split("、") if group == "items" else
                 [text[start:first_end], text[first_end + 1:items_end]])
        for item in items:
            s = pos
            pos += len(item) + 1
            if not item or is_generic(res, item) or len(item) > 14:
                continue
            state.candidates.append(Mention(s, s + len(item), "Cluster", item + "集群",
                                            rule="cluster_list", priority=2,
                                            aliases=(item,)))
        listed.add(m.end())
    for m in pat.cluster.finditer(text):
        if m.end() in listed:
            continue
        start = extend_left(state, m.start(), limit=16)
        if start is None or m.start() - start < 2:
            continue
        core = text[start:m.start()]
        if pat.designation.match(core):
            continue
        system = bool(pat.system.search(core))
        places = []
        bare = core
        for pm in _mentions_at(state, start, m.start()):
            if pm.start == start + (len(core) - len(bare)) and pm.code:
                places.append(pm.code)
                bare = text[pm.end:m.start()]
        if not system and is_generic(res, bare.replace("产业", "")):
            continue
        clean = bare.replace("“", "").replace("”", "").replace('"', "")
        canonical = clean + "集群" if system else re.sub(r"产业$", "", clean) + "集群"
        state.candidates.append(Mention(start, m.end(), "Cluster", canonical, places=tuple(places),
                                        rule="cluster_suffix", priority=2,
                                        aliases=(text[start:m.end()],),
                                        meta={"system": system}))


def organizations(state: State, res) -> None:
    """Universities, companies, alliances, governments, meetings: by their endings."""
    pat = patterns(res)
    text = state.text
    soft = res.soft_boundary_words
    session_end = -1
    for m in pat.org.finditer(text):
        if m.start() < session_end:
            continue  # 第三次会议 after a meeting's name: its session, not a new name
        suffix = m.group(0)
        kind, anchored = res.org_suffixes[suffix]
        nxt = text[m.end():m.end() + 1]
        if nxt and nxt in res.patterns["org_not_before"].get(suffix, ""):
            continue
        start = extend_left(state, m.start(), limit=28, stop_at_self=True, soft=soft,
                            ends=pat.org_ends)
        if start is None or m.start() - start < 2:
            continue
        for park in state.candidates_in(start, m.start()):
            if park.type == "ParkZone" and park.start == start and park.end < m.start() - 1:
                start = park.end  # 临沂高新区某某集团: the company after its park
        core = text[start:m.start()]
        prefix = ""
        if core[0] in "省市" and kind == "Government" and len(core) > 2 and not any(
                ch in "省市县委" for ch in core[1:]):
            # 省交通运输厅 in a notice of 安徽省: the publisher's province's office
            code = state.self_place.get("province" if core[0] == "省" else "city")
            if not code:
                continue
            prefix = res.place(code).name[:-1]
        elif is_generic(res, core) or core[0] in "市县区省" or core.startswith(("全市", "全省")):
            continue
        if anchored and not prefix and not any(
                p.start == start for p in _mentions_at(state, start, m.start(),
                                                       ("City", "Province", "Region"))):
            continue  # 局, 厅: only after a place (徐州市交通运输局), never 布局, 格局
        if kind in ("Meeting", "Event") and not re.search(r"[届次]|第", core) and not _mentions_at(
                state, start, m.start(), ("City", "Province", "Region")):
            continue
        end = m.end()
        name = text[start:end]
        canonical = prefix + name
        if kind in ("Meeting", "Event"):
            canonical = _ORDINAL.sub("", canonical)
            if len(canonical) - len(suffix) < 2:
                continue  # 第四次联席会议: the meeting named before, not a new name
            session = _SESSION.match(text, end)
            if session:
                end = session_end = session.end()
        shows = kind == "Government" and any(
            p.start == start and p.end == m.start() for p in _mentions_at(
                state, start, m.start(), ("City",)))
        state.candidates.append(Mention(start, end, "Organization", canonical or name,
                                        kind=kind, rule="organization_suffix", priority=2,
                                        aliases=(name,) if canonical != name else (),
                                        meta={"hides_places": not shows}))


_EDITION = re.compile(r"(?:[（(][^（）()]{0,20}[）)])+$")
_ORDINAL = re.compile(r"^(?:首届|首次|第[一二三四五六七八九十百\d]+[届次]|(?:下一|上一|本|上|下|历|每)[届次])")
_SESSION = re.compile(r"第[一二三四五六七八九十百\d]+[次届](?:全体)?会议")


def agreements(state: State, res) -> None:
    """《…协议》 and other titled plans; bare plans that start with their region; …机制."""
    pat = patterns(res)
    text = state.text
    for m in pat.title.finditer(text):
        name = m.group("name")
        # an edition after the title's ending: …实施方案（2024—2026年）, …规划（2017年修订）
        edition = _EDITION.search(name)
        base = name[:edition.start()] if edition else name
        sm = pat.agreement_suffix.search(base)
        if not sm:
            continue
        kind, normalized, _ = res.agreement_suffixes[sm.group(0)]
        canonical = base[: sm.start()] + normalized + name[len(base):]
        state.candidates.append(Mention(m.start(), m.end(), "Agreement", canonical, kind=kind,
                                        rule="title", priority=3, aliases=(name,)))
    for m in _suffix_matches(pat.bare_agreement_automaton, text):
        if text[m.end():m.end() + 1] in "》" or text.rfind("《", max(0, m.start() - 60),
                                                          m.start()) > text.rfind(
                "》", max(0, m.start() - 60), m.start()):
            continue
        kind, normalized, _ = res.agreement_suffixes[m.group(0)]
        if kind == "Mechanism":
            start = extend_left(state, m.start(), limit=16)
            if start is None or m.start() - start < 2 or is_generic(res, text[start:m.start()]):
                continue
        else:
            start = _anchor_left(state, m.start())
            if start is None:
                continue
            # 徐州、连云港两市去年签署港口物流合作协议: the name starts after the verb
            verb = None
            for verb in pat.agreement_verb.finditer(text, start, m.start()):
                pass
            if verb is not None:
                start = verb.end()
                if m.start() - start < 2 or is_generic(res, text[start:m.start()]):
                    continue
        canonical = text[start:m.start()] + normalized
        state.candidates.append(Mention(start, m.end(), "Agreement", canonical, kind=kind,
                                        rule="bare_agreement", priority=2,
                                        aliases=(text[start:m.end()],)))
    by_span = None  # the agreements by (start, end), in the candidates' order
    for m in pat.quoted.finditer(text):
        if by_span is None:
            by_span = {}
            for c in state.candidates:
                if c.type == "Agreement":
                    by_span.setdefault((c.start, c.end), []).append(c)
        inner = text[m.start("name"):m.end("name")]
        for c in by_span.get(m.span("name"), ()):
            c.aliases = tuple(c.aliases) + ("“%s”" % inner,)


class _SuffixMatch:
    def __init__(self, text, start, end):
        self._text, self._start, self._end = text, start, end

    def start(self):
        return self._start

    def end(self):
        return self._end

    def group(self, _=0):
        return self._text[self._start:self._end]


def _suffix_matches(automaton, text: str) -> list:
    """Endings found in ``text``; of overlapping ones the one ending last (then longest) wins,
    so 发展规划纲 reads as 发展 + 规划纲, not 发展规划 + 纲."""
    if automaton is None:
        return []
    # (-end, start): the order wanted, as plain tuples
    found = sorted([(-end, start) for _, start, end in R.find_indexes(automaton, text,
                                                                       overlapping=True)])
    out, lo = [], None
    for end, start in found:
        end = -end
        if lo is not None and end > lo:
            continue
        out.append(_SuffixMatch(text, start, end))
        lo = start
    out.reverse()  # each starts before the one taken before it: by start, as reversed
    return out


def _anchor_left(state: State, end: int) -> Optional[int]:
    """The start of the region or place that begins a bare plan name ending at ``end``."""
    s0 = state.sentence_start(max(0, end - 1))
    lo = max(s0, end - 24)
    best = None
    for m in state.candidates_in(lo, end + 1):  # those starting in [lo, end]
        if m.type in ("Region", "City", "Province") and m.end <= end \
                and not m.meta.get("self") and not m.meta.get("abbreviation"):
            seg = state.text[m.end:end]
            if any(ch in PUNCT for ch in seg) or "的" in seg:
                continue
            if best is None or m.start > best:
                best = m.start
    if best is None:
        return None
    # take in places or regions right before it (苏皖鲁豫省际交界地区...), as passes over the
    # candidates until one takes none would: the next one ending at best after the last taken
    # (its index, i), or (a new pass) the first one
    ends = _place_ends(state)
    i = 0
    while True:
        found = ends.get(best)
        if not found:
            return best
        k = bisect.bisect_left(found, i)
        i = found[k] if k < len(found) else found[0]
        best = state.candidates[i].start
        i += 1


def _place_ends(state: State) -> dict:
    """End -> indices, ascending, of the (not empty) place and region candidates ending there:
    an index kept on the state and brought up to date as candidates are added (they are only
    ever appended), instead of a scan of every candidate for each bare plan name."""
    index, count = state.place_ends
    cands = state.candidates
    if count > len(cands):
        index, count = {}, 0
    for i in range(count, len(cands)):
        m = cands[i]
        if m.type in ("Region", "City", "Province") and m.start < m.end:
            index.setdefault(m.end, []).append(i)
    state.place_ends = (index, len(cands))
    return index


RECOGNIZERS = {
    "bracketed_parks": bracketed_parks,
    "industries": industries,
    "routes": routes,
    "abbreviated_lines": abbreviated_lines,
    "abbreviated_places": abbreviated_places,
    "points": points,
    "parks": parks,
    "regions": regions,
    "provinces": provinces,
    "projects": projects,
    "clusters": clusters,
    "organizations": organizations,
    "agreements": agreements,
}
"""Pattern recognizers by name; the pipeline's config says which run, in which order."""

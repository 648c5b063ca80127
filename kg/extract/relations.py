"""Relations between the entities of a document, and the facts (figures, dates) about them.

Three kinds of rules, all driven by ``data/extract/patterns.json`` and the word lists:

- *name rules*: what a name itself says (徐宿淮盐铁路 connects its four cities; 徐州高新区 is
  located in 徐州; a project named for 光伏电池 has that industry; clusters named beside a
  cluster system are part of it);
- *pattern rules*: regexes over the tagged text, where each mention is one marker
  (``{O}牵头成立{O}`` for leads, ``作为{R}成员城市，{P}`` for memberOf...);
- *fact rules*: investment, capacity and output value with their figures, opening dates
  resolved against the document's date, and the status words around a line or project.
"""
from __future__ import annotations

import bisect
import functools
import re
import sys

from ..model import Entity
from .dates import find_dates
from .numbers import MULTIPLIERS, parse_number
from .resources import place_type
from .state import CONT, MARK, Mention, State

__all__ = ["name_relations", "pattern_relations", "route_relations", "fact_relations",
           "RELATION_RULES"]

_PLACE_TYPES = ("City", "Province")
_CLAUSE = re.compile(r"[，,：:；;。！？!?]")


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_RUN = "*+" if sys.version_info >= (3, 11) else "*"  # a mention's CONT run (see _ph)


def _ph(pattern: str) -> str:
    m = MARK
    table = {
        "PL": "(?:{P}(?:[、和与及]?{P})*)",
    }
    for k, v in table.items():
        pattern = pattern.replace("{%s}" % k, v)
    singles = {"P": "[%s%s]" % (m["City"], m["Province"]), "R": m["Region"],
               "O": m["Organization"], "A": m["Agreement"], "J": m["Project"],
               "Z": m["ParkZone"], "C": m["Cluster"], "I": m["Industry"],
               "L": m["Infrastructure"], "W": m["WaterBody"]}
    # A placeholder matches a whole mention, its marker and all its CONTs, and never gives
    # CONTs back (*+: no backtracking into a mention, which saves the engine that work).
    # For every pattern of patterns.json this is also what * gave: what follows a mention
    # there either fails inside a CONT run (a marker, a literal, a lookahead refusing CONT)
    # or is a gap with no minimum, or the end (checked pattern by pattern, and by fuzzing).
    # (Python 3.10's re has no *+: there the plain *, which matches the same.)
    # An alternation of markers (?P<head>{O}|{P}) becomes one character class, which the
    # regex engine scans for quickly.
    def merge(m):
        keys = re.findall(r"\{([A-Z])\}", m.group(2))
        chars = "".join(singles[k].strip("[]") for k in keys)
        return "%s[%s]%s%s)" % (m.group(1), chars, CONT, _RUN)

    pattern = re.sub(r"(\(\?P<\w+>|\(\?:)((?:\{[A-Z]\}\|)+\{[A-Z]\})\)", merge, pattern)
    for k, v in singles.items():
        pattern = pattern.replace("{%s}" % k, "(?:%s%s%s)" % (v, CONT, _RUN))
    return pattern.replace("{MARKS}", "\ue010-\ue01f")


class _Compiled:
    def __init__(self, res):
        self.res = res
        self.relations = [_RelationPattern(spec) for spec in res.patterns["relations"]]
        units = "|".join(re.escape(u) for u in sorted(res.units, key=len, reverse=True))
        self.investment = re.compile(res.patterns["investment"])
        self.investment_before = re.compile(res.patterns["investment_before"])
        self.capacity = re.compile(res.patterns["capacity"].replace("{UNITS}", units))
        self.output = re.compile(res.patterns["output_value"])
        words = sorted(res.triggers, key=len, reverse=True)
        self.trigger = re.compile("|".join(re.escape(w) for w in words))
        rw = sorted(res.patterns["route_words"], key=len, reverse=True)
        self.route = re.compile("|".join(re.escape(w) for w in rw))
        self.route_start = re.compile("(?:线路|全线|项目)?(?:%s)" % _alt(
            res.patterns["route_openers"]))
        # (used with match(text, start): it matches where the sentence starts)
        self.anaphor = re.compile(r"(?:这条|该|此|全)(?:铁路|线路|高铁|高速|公路|线|快速路)"
                                  r"|(?:该|此)(?:项目|工程)")
        self.org_abbr = re.compile(res.patterns["org_in_abbreviation"])
        import ahocorasick_rs

        # every occurrence of the required words, overlapping ones too (牵头 and 负责 in
        # 牵头负责), found by ahocorasick_rs: its scan costs a third of pyahocorasick's iter
        self.required_words = list(dict.fromkeys(
            w for spec in res.patterns["relations"]
            for w in spec.get("requires", []) + spec.get("requires_also", [])))
        # (a DFA, for a hundred short words a small one, scans a tenth faster than the
        # default; the kind of automaton does not change the matches)
        self.required = ahocorasick_rs.AhoCorasick(
            self.required_words, implementation=ahocorasick_rs.Implementation.DFA) \
            if self.required_words else None
        # the patterns each required word lets in (a pattern with required words, none of
        # them in a text, has no window there), and those searched in every text
        # (by the words' indexes in required_words, as the automaton gives them)
        self.by_word: dict = {i: [] for i in range(len(self.required_words))}
        self.unconditional = []
        index = {w: i for i, w in enumerate(self.required_words)}
        for i, p in enumerate(self.relations):
            if not p.requires:
                self.unconditional.append(i)
            for w in p.requires or ():
                self.by_word[index[w]].append(i)
            p.require_ids = [index[w] for w in p.requires or ()]
            p.require_also_ids = [index[w] for w in p.requires_also or ()]
        self.section = re.compile("(?P<a>[%s]\ue000*)(?:至|到|—|-)(?P<b>[%s]\ue000*)段"
                                  % (MARK["City"], MARK["City"]))
        self.project_anaphor = re.compile(r"该项目|项目(?=总投资|一期|二期|分两期|建成|投产|达产)")
        fw = res.patterns["future_words"]
        self.future = re.compile(_alt(fw["all"]))
        self.near_words = set(fw["near"])
        self.near_days = fw["near_days"]


def compiled(res) -> _Compiled:
    """The rules' patterns compiled for these resources: made on the first call, kept."""
    return res.derived("relations", _Compiled)


class _RelationPattern:
    """One relation pattern of ``patterns.json``, compiled, with what its matches take.

    >>> p = _RelationPattern({"relation": "memberOf", "requires": ["组成"],
    ...                       "pattern": "(?P<heads>{PL})组成(?P<tail>{R})"})
    >>> p.sides, p.fewest
    ([('heads', 'head', True), ('tail', 'tail', False)], 2)
    """

    def __init__(self, spec: dict):
        self.spec = spec
        self.rx = re.compile(_ph(spec["pattern"]))
        self.relation = spec["relation"]
        self.rule = spec.get("rule", spec["relation"])
        self.requires = spec.get("requires")
        self.requires_also = spec.get("requires_also")
        # the indexes of those words in _Compiled.required_words (set by _Compiled)
        self.require_ids, self.require_also_ids = [], []
        # the groups that take mentions, in the pattern's order: (group, side, plural) with
        # side head, tail or pairs
        self.sides = []
        for g in self.rx.groupindex:
            if g == "pairs":
                self.sides.append((g, "pairs", False))
            elif g.startswith(("head", "tail", "pairs")):
                self.sides.append((g, "head" if g.startswith("head") else "tail",
                                   g.rstrip("0123456789").endswith("s")))
        # A match relates two of the mentions in its window (with head_publisher, the
        # publisher's city to one of them): a window holding fewer cannot give a relation.
        # With tail_anaphor the antecedent is looked for on every match, so every window
        # is searched.
        self.fewest = 0 if spec.get("tail_anaphor") else 1 if spec.get("head_publisher") else 2
        # the options of the spec, read once per match
        self.head_publisher = spec.get("head_publisher")
        self.tail_anaphor = spec.get("tail_anaphor")
        # 山东郯城县 read as 郯城县, unless the pattern relates a place to its part
        self.innermost = not spec.get("as_written")
        # heads and tails paired in order (分别与), not each with each
        self.respectively = spec.get("respectively")
        # characters that may not come right before a match (与徐州的…项目)
        self.not_after = spec.get("not_after", "")


def _e(state: State, m):
    return state.mention_entity.get(id(m)) if m is not None else None  # state.entity_of(m)


# -- name rules -------------------------------------------------------------------------------

def name_relations(state: State, res) -> None:
    """What names say: a line's places, a park's city, a project's industry, cluster systems."""
    inner: dict = {}  # id(mention) -> the mentions nested in it, in text order
    for m in state.mentions:
        if m.outer is not None:
            inner.setdefault(id(m.outer), []).append(m)
    industries = [c for c in state.candidates if c.type == "Industry"]
    holders = None  # (starts, mentions) of the top-level mentions, made when first needed
    entity_of = state.mention_entity.get
    for m in state.mentions:
        e = entity_of(id(m))  # _e(state, m), inline: called for every mention
        if e is None:
            continue
        if m.type == "Infrastructure":
            places = m.meta.get("name_places") or (m.places if not m.meta.get("known") else ())
            if len(set(places)) >= 2 or places and m.meta.get("partial"):
                for code in places:
                    tail = state.by_key.get("place:" + code) or _place_entity(state, res, code, m)
                    state.relate(e, "connects", tail, m.start, "name_" + m.rule)
        elif m.type in ("ParkZone", "Region", "Cluster") and (
                len(m.places) == 1 or m.meta.get("each_place")) and (
                m.outer is None or m.outer.type == "Project"):
            for code in m.places:
                tail = state.by_key.get("place:" + code)
                if tail is None and m.type == "ParkZone":
                    tail = _place_entity(state, res, code, m)
                if tail is not None:
                    state.relate(e, "locatedIn", tail, m.start, "name_" + m.rule)
            if m.outer is not None:
                # 宿迁高新区天合光能…项目: the project is in the park
                state.relate(_e(state, m.outer), "locatedIn", e, m.start, "name_project")
        elif m.type == "Agreement" and m.outer is None:
            first = [n for n in inner.get(id(m), ()) if n.start <= m.start + 1
                     and n.type in ("Region", "City", "Province")]
            if first:
                state.relate(e, "appliesTo", _e(state, first[0]), m.start, "name_agreement")
        elif m.type == "Project" and m.outer is None:
            for n in inner.get(id(m), ()):
                if n.type != "Industry" or m.end - n.end > 4:
                    continue
                if holders is None:
                    holders = _top_level(state)
                if _named_freely(state, n, industries, holders):
                    state.relate(e, "hasIndustry", _industry_entity(state, n), m.start,
                                 "name_project")
    types = {m.type for m in state.mentions}
    # an agreement applies to the one region its sentence names (淮海十城实现…互认互贷)
    agreement_sentences = sorted({state.sentence_of(m.start) for m in state.mentions
                                  if m.type == "Agreement"}) if "Region" in types else []
    for s, t in (state.sentences[i] for i in agreement_sentences):
        regions = [m for m in state.mentions_in(s, t, ("Region",)) if m.outer is None]
        agreements = state.mentions_in(s, t, ("Agreement",))
        if len({id(_e(state, r)) for r in regions}) != 1 or not agreements:
            continue
        for a in agreements:
            if any(n.type in _PLACE_TYPES for n in inner.get(id(a), ())):
                continue  # a city's plan applies to its city
            state.relate(_e(state, a), "appliesTo", _e(state, regions[0]), a.start,
                         "agreement_region")
    # industries of a list belong to the place before each item, or to the sentence's subject
    for m in state.mentions:
        if m.type != "Industry" or m.rule != "industry_list" or m.outer is not None:
            continue
        e = _e(state, m)
        owner = m.meta.get("place")
        if owner is None:
            s, _ = state.sentence_span(m.start)
            subjects = [p for p in state.mentions_in(s, m.meta.get("list_start", m.start),
                                                     ("City",))]
            owner = subjects[0] if subjects else None
        if owner is not None and e is not None:
            state.relate(_e(state, owner), "hasIndustry", e, m.start, "industry_list")
    # clusters beside a cluster system in one sentence are part of it
    system_sentences = sorted({state.sentence_of(m.start) for m in state.mentions
                               if m.type == "Cluster" and m.meta.get("system")})
    for s, t in (state.sentences[i] for i in system_sentences):
        cl = state.mentions_in(s, t, ("Cluster",))
        systems = [m for m in cl if m.meta.get("system")]
        if len(systems) != 1:
            continue
        system = _e(state, systems[0])
        for m in cl:
            e = _e(state, m)
            if e is not None and e is not system and not m.meta.get("system"):
                state.relate(e, "partOf", system, m.start, "cluster_system")


def _top_level(state: State) -> tuple:
    """``(starts, mentions)`` of the top-level mentions that are not empty, in text order.

    They do not overlap (see :func:`.identity.resolve_mentions`): of them, only the last
    to start at or before a position can hold it.
    """
    tops = [o for o in state.mentions if o.outer is None and o.end > o.start]
    return [o.start for o in tops], tops


def _named_freely(state: State, industry, industries, holders) -> bool:
    """True if an industry inside a name is also named on its own elsewhere in the text
    (``industries``: the candidates of type Industry; ``holders``: :func:`_top_level`), that
    is, not inside a top-level mention of another type."""
    starts, tops = holders
    for m in industries:
        if m.canonical != industry.canonical or m is industry:
            continue
        if m.end <= m.start:  # (an empty one: any mention around it, looked for in all)
            inside = any(o.start <= m.start and m.end <= o.end and o.type != "Industry"
                         for o in state.mentions if o.outer is None and o is not m)
        else:
            i = bisect.bisect_right(starts, m.start) - 1
            o = tops[i] if i >= 0 else None
            inside = o is not None and o is not m and o.type != "Industry" \
                and m.end <= o.end
        if not inside:
            return True
    return False


def _place_entity(state: State, res, code: str, near) -> Entity:
    """The entity of a place a name implies (宿迁 in 徐宿淮盐) when no mention made one."""
    key = "place:" + code
    e = state.by_key.get(key)
    if e is None:
        place = res.place(code)
        e = Entity(type=place_type(place),
                   canonical=res.place_canonical(place), text=res.place_canonical(place),
                   start=near.start, end=near.end, code=code, rule="implied")
        state.by_key[key] = e
        state.entities.append(e)
    return e


def _industry_entity(state: State, m) -> Entity:
    key = "Industry:" + m.canonical
    e = state.by_key.get(key)
    if e is None:
        e = Entity(type="Industry", canonical=m.canonical, text=state.text[m.start:m.end],
                   start=m.start, end=m.end, rule="industry_in_name")
        state.by_key[key] = e
        state.entities.append(e)
    return e


# -- pattern rules ----------------------------------------------------------------------------

def pattern_relations(state: State, res) -> None:
    """The relation patterns of ``patterns.json`` over the tagged text.

    Groups named ``head…``/``tail…`` give the two sides: a singular name (head, tail2) takes
    the mention the group starts with, a plural one (heads, tails2) every mention inside it;
    ``pairs`` relates every two places in it, in text order.
    """
    comp = compiled(res)
    starts = {m.start: m for m in state.mentions if m.outer is None}
    order = sorted(starts)
    tagged = state.tagged

    def inside(a, b):
        i = bisect.bisect_left(order, a)
        out = []
        while i < len(order) and order[i] < b:
            out.append(starts[order[i]])
            i += 1
        return out

    def innermost(m, match=None, sides=()):
        """The place a qualified name means: 郯城县 of 山东郯城县, 砀山县 of 宿州市砀山县
        (a place followed at once by one of its own parts: a pattern's side takes the
        first mention of its group, and the parts are outside it). Not a part that is
        itself one of the ``sides`` (groups) of the ``match``, as in 江苏徐州 read as 徐州
        located in 江苏."""
        while m.code:
            nxt = starts.get(m.end)
            if nxt is None or not nxt.code or not _within(res, nxt.code, m.code):
                break
            if match is not None and any(match.start(g) == nxt.start for g, _, _ in sides):
                break
            m = nxt
        return m

    text = state.text
    # which sentences hold each pattern's required words: one automaton pass over the text
    # (word index -> a bit mask of those sentences: bit i for sentence i. A text has tens of
    # sentences, a mask is a small int: a union is an or, an intersection an and.)
    present: dict = {}
    sentence_starts = state._starts
    get = present.get
    for w, _, end in _required_in(comp, text):
        i = bisect.bisect_right(sentence_starts, end - 1) - 1  # state.sentence_of(end - 1)
        present[w] = get(w, 0) | (1 << i if i > 0 else 1)
    # the top-level mentions starting in each sentence (or right at its end)
    held = [bisect.bisect_right(order, e) - bisect.bisect_left(order, s)
            for s, e in state.sentences]
    sentences = state.sentences

    def windows(p):
        """The stretches of the tagged text a pattern is searched in: the sentences that
        hold its required words and enough mentions."""
        if not p.requires:
            return [(0, len(tagged))] if len(order) >= p.fewest else []
        found = 0
        for w in p.require_ids:
            found |= get(w, 0)
        if p.requires_also:
            also = 0
            for w in p.require_also_ids:
                also |= get(w, 0)
            found &= also
        # the sentences of the mask's bits, in ascending order (the lowest bit first)
        fewest = p.fewest
        out = []
        while found:
            low = found & -found
            i = low.bit_length() - 1
            if held[i] >= fewest:
                out.append(sentences[i])
            found ^= low
        return out

    # only the patterns a required word lets in, or that require none, in their order
    todo = set(comp.unconditional)
    for w in present:
        todo.update(comp.by_word[w])
    for p in [comp.relations[i] for i in sorted(todo)]:
        spec, rel, rule = p.spec, p.relation, p.rule
        search = p.rx.search
        for ws, we in windows(p):
            # most windows hold no match: a search says so at a third of a finditer's cost.
            # With one, the matches from there are those from ws (a start at pos makes no
            # ^ match there, and lookbehinds still see what is before it).
            first = search(tagged, ws, we)
            if first is None:
                continue
            for match in p.rx.finditer(tagged, first.start(), we):
                if p.not_after and match.start() and tagged[match.start() - 1] in p.not_after:
                    continue
                heads, tails = [], []
                for g, side, plural in p.sides:
                    a, b = match.span(g)
                    if a < 0:
                        continue  # the group took no part in the match
                    if side == "pairs":
                        ms = [m for m in inside(a, b) if m.type in _PLACE_TYPES]
                        if p.innermost:
                            ms = list({id(m): m for m in map(innermost, ms)}.values())
                        for i, x in enumerate(ms):
                            for y in ms[i + 1:]:
                                _add(state, res, spec, x, y, match.start(), rel, rule)
                        continue
                    found = inside(a, b) if plural else [starts.get(a)]
                    if p.innermost:
                        found = [innermost(m, match, p.sides) for m in found if m]
                    (heads if side == "head" else tails).extend([m for m in found if m])
                if p.head_publisher:
                    # no subject in the sentence: the publisher's city speaks (政府工作报告)
                    code = state.self_place.get("city")
                    he = state.by_key.get("place:" + code) if code else None
                    for t in tails:
                        te = _e(state, t)
                        if he is not None and te is not None and he is not te:
                            state.relate(he, rel, te, match.start(), rule)
                    continue
                if p.tail_anaphor:
                    # 该段由X负责建设, 项目由X负责建设: the line, section or project named last
                    te = _antecedent(state, comp, match.start(), p.tail_anaphor)
                    for h in heads:
                        he = _e(state, h)
                        if he is not None and te is not None and he is not te:
                            state.relate(he, rel, te, match.start(), rule)
                    continue
                if p.respectively:
                    # 萧县、灵璧两县分别与睢宁、铜山结对: the first with the first...
                    if len(heads) == len(tails):
                        for h, t in zip(heads, tails):
                            _add(state, res, spec, h, t, match.start(), rel, rule)
                    continue
                for h in heads:
                    for t in tails:
                        _add(state, res, spec, h, t, match.start(), rel, rule)
    _org_in_abbreviation(state, res, comp)


def _within(res, code: str, outer: str) -> bool:
    """Is the place ``code`` a part of the place ``outer`` (a county of a city, a city or
    county of a province)?"""
    place = res.place(code)
    if place is None or code == outer:
        return False
    if place.province == outer:
        return True
    pref = res.gazetteer.prefecture_of(code)
    return pref is not None and pref.code == outer


def _required_in(comp, text: str) -> list:
    """``(word index, start, end)`` of every occurrence of a required word in ``text``."""
    if comp.required is None:
        return []
    from .resources import find_indexes

    return find_indexes(comp.required, text, overlapping=True)


_POINTS = ("Station", "Port", "Airport")


def _antecedent(state: State, comp, pos: int, types):
    """The entity an anaphor at ``pos`` refers to: the last line, section or project named
    before it (stations and ports aside)."""
    last = None
    for m in state.mentions:
        if m.start >= pos:
            break
        if m.outer is None and m.type in types and m.kind not in _POINTS:
            last = m
    best = _e(state, last) if last is not None else None
    best_pos = last.start if last is not None else -1
    for s0, e0, line, a, b in _sections(state, comp):
        if best_pos < s0 < pos and s0 in state.section_entity:
            best, best_pos = state.section_entity[s0], s0
    return best


def _org_in_abbreviation(state: State, res, comp) -> None:
    """中国矿业大学、江苏师范大学等在徐高校: organisations in the city a one-character form names."""
    for m in comp.org_abbr.finditer(state.text):
        codes = res.city_abbreviations.get(m.group("abbr"), [])
        if len(codes) != 1:
            continue
        s, _ = state.sentence_span(m.start())
        orgs = []
        for o in reversed(state.mentions_in(s, m.start(), ("Organization",))):
            gap = state.text[o.end:m.start() if not orgs else orgs[-1].start]
            if orgs and gap not in ("、", "和", "及", "与"):
                break
            if not orgs and gap not in ("等", ""):
                break
            orgs.append(o)
        if not orgs:
            continue
        place = state.by_key.get("place:" + codes[0])
        if place is None:
            continue
        for o in orgs:
            state.relate(_e(state, o), "locatedIn", place, m.start(), "org_in_abbreviation")


def _add(state, res, spec, h, t, pos, rel, rule):
    if h is None or t is None:
        return
    if spec.get("tail_kinds") and t.kind not in spec["tail_kinds"]:
        return
    if spec.get("head_kinds") and h.kind not in spec["head_kinds"]:
        return
    if spec.get("head_within_tail"):
        hp = res.place(h.code) if h.code else None
        if hp is None or hp.level != "county" or not t.code:
            return
        pref = res.gazetteer.prefecture_of(h.code)
        if pref is None or pref.code != t.code:
            return
    if spec.get("head_in_province"):
        hp = res.place(h.code) if h.code else None
        if hp is None or not t.code or hp.province != t.code or hp.code == t.code:
            return
    he, te = _e(state, h), _e(state, t)
    if he is None or te is None or he is te:
        return
    if spec.get("unless_part_of") and any(r.head == he.canonical and r.relation == "partOf"
                                          for r in state.relations):
        return
    state.relate(he, rel, te, pos, rule)


def route_relations(state: State, res) -> None:
    """Places a line is said to start from, pass through or reach (途经, 西起, 东至, 设站)."""
    comp = compiled(res)
    all_lines = [m for m in state.mentions if m.type == "Infrastructure" and m.outer is None
                 and m.kind not in ("Station", "Port", "Airport")]
    if not all_lines:
        return
    _sections(state, comp, res)
    line_starts = [m.start for m in all_lines]  # in text order, as the mentions are
    wanted = sorted({state.sentence_of(h.start()) for h in comp.route.finditer(state.text)})
    for s, t in (state.sentences[i] for i in wanted):
        k = bisect.bisect_left(line_starts, s)  # the lines before the sentence: all_lines[:k]
        head = all_lines[k] if k < len(all_lines) and all_lines[k].start < t else None
        anaphor = comp.anaphor.match(state.text, s, t)
        if head is not None and anaphor and k and head.start > min(
                h.start() for h in comp.route.finditer(state.text, s, t)):
            # 该项目西起…经…，在砀山东与连霍高速相接: the sentence speaks of the line named
            # before it; the line it names after its route is one it meets
            head = None
        if head is None and (anaphor or comp.route_start.match(state.text, s)):
            # the last line before the sentence: in its paragraph, or any after an anaphor
            para = state.text.rfind("\n", 0, s) + 1
            prev = all_lines[k - 1] if k else None
            if prev is not None and (prev.start >= para or anaphor):
                head = prev
        if head is None:
            continue
        he = _e(state, head)
        if head.end in state.section_entity:
            he = state.section_entity[head.end]
        sentence = state.text[s:t]
        clause_start = s
        for clause in _CLAUSE.split(sentence):
            cs, ce = clause_start, clause_start + len(clause)
            clause_start = ce + 1
            hits = [m for m in comp.route.finditer(state.text, cs, ce)]
            if not hits:
                continue
            first = min(h.start() for h in hits)
            other = [m for m in state.mentions_in(cs, first, ("Infrastructure", "WaterBody"))
                     if m.kind not in ("Station", "Port", "Airport") and m is not head]
            if other:
                continue  # the clause speaks of another line or river
            for m in state.mentions_in(cs, ce, _PLACE_TYPES):
                if m.type != "City" or m.end <= head.end and m.start >= head.start:
                    continue
                state.relate(he, "connects", _e(state, m), m.start, "route_words")


# -- fact rules -------------------------------------------------------------------------------

_AMOUNT = re.compile(r"([\d.,]+)(万亿|亿|千万|百万|万)?")


def _amount(text: str) -> float:
    m = _AMOUNT.match(text)
    value = parse_number(m.group(1)) if m else None
    if value is None:
        return None
    return value * MULTIPLIERS.get(m.group(2) or "", 1)


def _after_last(text: str, marks: str, start: int, end: int) -> int:
    """The offset after the last of ``marks`` in ``text[start:end]`` (0 if there is none).

    >>> _after_last("徐州，连云港；宿迁", "，；", 0, 9)
    7
    """
    return max([text.rfind(ch, start, end) for ch in marks]) + 1


class _Around:
    """The first of some mentions in text order (by start) that holds a position.

    Looks only at those starting less than the longest one's length before it: one starting
    further back ends before the position. A text names many projects and many figures.

    >>> ms = [Mention(0, 9, "Project", "a"), Mention(2, 4, "Project", "b"),
    ...       Mention(20, 24, "Project", "c")]
    >>> [m.canonical if m else None for m in map(_Around(ms), (3, 9, 22))]
    ['a', None, 'c']
    """

    def __init__(self, mentions):
        self.mentions = mentions
        self.starts = [m.start for m in mentions]
        self.longest = max((m.end - m.start for m in mentions), default=0)

    def __call__(self, pos: int):
        ms = self.mentions
        for i in range(bisect.bisect_left(self.starts, pos - self.longest + 1),
                       bisect.bisect_right(self.starts, pos)):
            if pos < ms[i].end:
                return ms[i]
        return None


def _project_for(state: State, comp, pos: int, last_project, around: _Around):
    """The project a figure at ``pos`` is about: the one around it, before it in the sentence,
    or (该项目) the last one named. ``around`` finds the first of the document's project
    mentions that holds a position."""
    s, t = state.sentence_span(pos)
    holder = around(pos)
    if holder is not None:
        return holder
    before = [m for m in state.mentions_in(s, pos, ("Project",))]
    clause_start = _after_last(state.text, "，,；;", s, pos)
    anaphor = comp.project_anaphor.search(state.text, max(s, clause_start - 1), pos + 4)
    if anaphor is not None and last_project is not None:
        return last_project
    if before:
        return before[-1]
    if comp.project_anaphor.search(state.text, s, pos) and last_project is not None:
        return last_project
    clause_end = min([i for i in (state.text.find(ch, pos, t) for ch in "，,；;") if i >= 0]
                     or [t])
    after = state.mentions_in(pos, clause_end, ("Project",))
    return after[0] if after else None


def _line_for(state: State, comp, pos: int):
    """The line or section a figure at ``pos`` is about, when no project is: the last one
    named before it in its sentence, or (a sentence naming none) in its paragraph."""
    s, _ = state.sentence_span(pos)
    lines = [m for m in state.mentions_in(s, pos, ("Infrastructure",)) if m.kind not in _POINTS]
    if lines and comp.anaphor.match(state.text, s, pos) and lines[0].start > s + 4:
        # 该项目西起…与连霍高速相接，总投资58亿元: the line the sentence begins by referring
        # to, named before it, not one it meets on the way
        lines = []
    if not lines:
        if state.mentions_in(s, pos, ("Project", "ParkZone", "Organization")):
            return None
        para = state.text.rfind("\n", 0, pos) + 1
        lines = [m for m in state.mentions_in(para, s, ("Infrastructure", "Project"))
                 if m.kind not in _POINTS]
    if not lines:
        return None
    line = lines[-1]
    for s0, e0, _, a, b in _sections(state, comp):
        if line.start < s0 < pos and s0 in state.section_entity:
            return state.section_entity[s0]
    return _e(state, line)


def fact_relations(state: State, res) -> None:
    """Investment, capacity, output value; opening dates; statuses."""
    comp = compiled(res)
    text = state.text
    every_project = [m for m in state.mentions if m.type == "Project"]
    projects = [m for m in every_project if m.outer is None]
    around = _Around(every_project)  # (state.mentions are in text order)
    project_starts = [m.start for m in projects]  # in text order, as the mentions are

    def last_project_before(pos):
        i = bisect.bisect_left(project_starts, pos)
        return projects[i - 1] if i else None

    def sentences_with(words):
        sentence_of = state.sentence_of
        seen = sorted({sentence_of(m.start()) for m in _any_of(words).finditer(text)})
        return [state.sentences[i] for i in seen]

    def matches(rx, words):
        for s, t in sentences_with(words):
            yield from rx.finditer(text, s, t)

    for m in matches(comp.investment_before, ("投资",)):
        nxt = [p for p in projects if p.start == m.end()]
        if nxt:
            value = _amount(m.group("amount"))
            if value:
                state.relate(_e(state, nxt[0]), "investment", {"value": value, "unit": "CNY"},
                             m.start(), "investment_before")
    for m in matches(comp.investment, ("投资", "投入")):
        if text[m.end():m.end() + 1] == "的":
            continue
        head = _project_for(state, comp, m.start(), last_project_before(m.start()),
                            around)
        value = _amount(m.group("amount"))
        if not value:
            continue
        he = _e(state, head) if head is not None else _line_for(state, comp, m.start())
        if he is None:
            continue
        phase = m.group("phase")
        qualifier = None
        if phase:
            n = parse_number(phase[0]) if phase[0] != "首" else 1
            qualifier = "phase %d" % n if n else phase
        state.relate(he, "investment", {"value": value, "unit": "CNY"}, m.start(),
                     "investment", qualifier=qualifier)
    # every keyword of the capacity pattern (年产能, 规划产能, 吞吐能力, 年生产…) holds one of
    # these words (产 alone is in every 产业)
    for m in matches(comp.capacity, ("年产", "产能", "年生产", "能力", "装机", "处理", "加工")):
        head = _project_for(state, comp, m.start(), last_project_before(m.start()),
                            around)
        if head is None:
            continue
        if m.group("a") is not None:
            unit = m.group("ub") or m.group("ua")
            a, b = parse_number(m.group("a")), parse_number(m.group("b"))
            if a is None or b is None:
                continue
            tail = {"min": _num(a), "max": _num(b), "unit": unit}
        else:
            v = parse_number(m.group("v"))
            if v is None:
                continue
            tail = {"value": _num(v), "unit": m.group("uv")}
        state.relate(_e(state, head), "capacity", tail, m.start(), "capacity")
    for m in matches(comp.output, ("产值", "收入", "营收")):
        head = _project_for(state, comp, m.start(), last_project_before(m.start()),
                            around)
        value = _amount(m.group("amount"))
        if head is None or not value:
            continue
        state.relate(_e(state, head), "outputValue", {"value": value, "unit": "CNY"}, m.start(),
                     "output_value")
    _openings(state, res, comp)


@functools.lru_cache(maxsize=None)
def _any_of(words: tuple) -> re.Pattern:
    """A regex for any of ``words``, compiled once."""
    return re.compile("|".join(map(re.escape, words)))


def _num(v: float):
    return int(v) if float(v).is_integer() else v


def _days_after(base: str, value: str):
    """Days from the document's date ``base`` to the first day of the period ``value``
    (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``); None if either is no date."""
    import datetime

    try:
        a = datetime.date.fromisoformat((base + "-01-01")[:10])
        b = datetime.date.fromisoformat((value + "-01-01")[:10])
    except ValueError:
        return None
    return (b - a).days


def _within_days(base, value, days) -> bool:
    """True if the ISO date ``value`` is at most ``days`` after the document's date."""
    if not base or len(value) < 10 or len(base) < 10:
        return False
    d = _days_after(base, value)
    return d is not None and 0 <= d <= days


def _later_than(value, base, days) -> bool:
    """True if the period ``value`` (YYYY, YYYY-MM or YYYY-MM-DD) begins more than ``days``
    after the document's date ``base``."""
    if not base or not value:
        return False
    d = _days_after(base, value)
    return d is not None and d > days


_STATUS_RANK = {"Opened": 3, "UnderConstruction": 2, "Planned": 1}


def _sections(state: State, comp, res=None) -> list:
    """``(start, end, line mention, a, b)`` of each section (商丘至合肥段) and the line it
    belongs to: the line named right before it; else the last line of which a section was
    named; else the last line named.

    When the text says a section of a line is unfinished (菏泽至兰考段正在加紧建设), a
    section's opening is not the line's: each section of that line becomes an entity of its
    own (鲁南高铁曲阜至菏泽段), part of the line, connecting its two ends
    (``state.section_entity`` maps a section's start to it).
    """
    if state.sections is not None:
        return state.sections
    res = res or comp.res
    out = []
    lines = [m for m in state.mentions if m.type == "Infrastructure" and m.outer is None
             and m.kind not in ("Station", "Port", "Airport")]
    sectioned = []
    for sm in comp.section.finditer(state.tagged):
        before = [m for m in lines if m.end <= sm.start()]
        if not before:
            continue
        line = before[-1]
        if line.end != sm.start() and sectioned:
            line = sectioned[-1]
        sectioned.append(line)
        out.append((sm.start(), sm.end(), line, sm.start("a"), sm.start("b")))
    state.sections = out
    if res is None or not out:
        return out
    unfinished = set()
    for s0, e0, line, a, b in out:
        s, t = state.sentence_span(s0)
        for tr in comp.trigger.finditer(state.text, e0, min(t, e0 + 12)):
            status = res.triggers[tr.group(0)][0]
            if status in ("UnderConstruction", "Planned") and not comp.future.search(
                    state.text, e0, tr.start()):
                unfinished.add(id(_e(state, line)))
            break
    starts = {m.start: m for m in state.mentions if m.outer is None}
    for s0, e0, line, a, b in out:
        le = _e(state, line)
        if id(le) not in unfinished:
            continue
        pa, pb = starts.get(a), starts.get(b)
        if le is None or pa is None or pb is None:
            continue
        name = le.canonical + state.text[s0:e0]
        key = "section:" + name
        e = state.by_key.get(key)
        if e is None:
            e = Entity(type="Infrastructure", canonical=name, text=state.text[s0:e0],
                       start=s0, end=e0, kind=le.kind, rule="section", key=name)
            state.by_key[key] = e
            state.entities.append(e)
        state.section_entity[s0] = e
        state.relate(e, "partOf", le, s0, "section")
        for pm in (pa, pb):
            pe = _e(state, pm)
            if pe is not None:
                state.relate(e, "connects", pe, s0, "section")
    return out


def _openings(state: State, res, comp) -> None:
    text = state.text
    sections = _sections(state, comp, res)
    starts = {m.start: m for m in state.mentions if m.outer is None} if sections else {}
    for s0, e0, line, a, b in sections:
        he = _e(state, line)
        for pos in (a, b):
            place = starts.get(pos)
            if place is not None and place.type == "City":
                state.relate(he, "connects", _e(state, place), pos, "section")
    # the lines and projects a status can be about, in text order (as state.mentions_in
    # gives them), each sentence's picked by bisection
    things = [m for m in state.mentions if m.outer is None and m.type in (
        "Infrastructure", "Project") and m.kind not in ("Station", "Port", "Airport")]
    if not things and not sections:
        return  # a status is about nothing here
    by_sentence = {}
    for tr in comp.trigger.finditer(text):
        by_sentence.setdefault(state.sentence_of(tr.start()), []).append(tr)
    if not by_sentence:
        return
    thing_starts = [m.start for m in things]
    for i, triggers in sorted(by_sentence.items()):
        s, t = state.sentences[i] if state.sentences else (0, len(text))
        k = bisect.bisect_left(thing_starts, s)
        items = []
        while k < len(things) and things[k].start < t:
            m = things[k]
            k += 1
            if m.end <= t:
                items.append((m.start, m.end, m))
        if sections:  # (the things alone are in text order already)
            items += [(a, b, line) for a, b, line, _, _ in sections if s <= a < t]
            items.sort(key=lambda x: x[0])
        if not items:
            continue
        starts = [x[0] for x in items]
        dates = None
        for tr in triggers:
            if _AFTER.match(text, tr.end()):
                continue  # 建成后可带动…: what a completion will bring, not a report of one
            status, opening = res.triggers[tr.group(0)]
            # the last item (in text order) that ends before the trigger
            j = bisect.bisect_right(starts, tr.start()) - 1
            while j >= 0 and items[j][1] > tr.start():
                j -= 1
            if j < 0:
                continue
            last = items[j]
            head = last[2]
            e = state.section_entity.get(last[0]) or _e(state, head)
            if e is None:
                continue
            clause = _after_last(text, "，,；;：:", s, last[0])
            planned = comp.future.search(text, max(s, clause), tr.start())
            if planned and status == "Opened":
                status = "Planned"
            prior = e.status
            if _STATUS_RANK.get(status, 0) > _STATUS_RANK.get(e.status or "", 0):
                e.status = status
            if not opening or head.type != "Infrastructure":
                continue
            if dates is None:
                dates = find_dates(text[s:t], state.date, offset=s)
                for w in ("今天", "今日"):
                    i = text.find(w, s, t)
                    if i >= 0 and state.date:
                        from .dates import DateMention

                        dates.append(DateMention(i, i + 2, state.date, True))
            usable = [d for d in dates if d.end <= tr.start()]
            if not usable:
                continue
            d = max(usable, key=lambda d: d.end)
            if planned and not (planned.group(0) in comp.near_words
                                and _within_days(state.date, d.value, comp.near_days)):
                continue  # 力争2026年建成通车, 确保年内开通: planned, not opened
            if _later_than(d.value, state.date, comp.near_days):
                # a target: 2025年底建成通车 in a notice of 2024 (a plan, unless an earlier
                # sentence reported it open)
                if e.status != prior:
                    e.status = prior if _STATUS_RANK.get(prior or "", 0) > 1 else "Planned"
                continue
            state.relate(e, "opened", d.value, tr.start(), "opening_date")


_AFTER = re.compile(r"(?:之|以)?后[，,]?(?:可|将|能|预计|每年|年均|年)")

RELATION_RULES = {
    "names": name_relations,
    "patterns": pattern_relations,
    "routes": route_relations,
    "facts": fact_relations,
}
"""Relation rules by name; the pipeline's config says which run."""

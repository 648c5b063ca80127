"""Which candidate names stand, and which of them are one thing ("one thing, one node").

Overlaps are settled longest first; a place inside a park, route or region name stays as a
nested mention (徐州 in 徐州高新区), a place inside an organisation or a station does not
(徐州 in 徐州医科大学, 徐州东站). Mentions then group into entities by an identity key: the
administrative code of a place; the known link, or the kind and places, of a line (徐连高铁 =
徐州至连云港高速铁路); the normalised name of anything else, with 又称/全称 statements and
near-identical project names (卓曜高效光伏电池项目 = 卓曜光伏电池项目) merged. The key is kept
on the entity so that the same thing gets the same IRI in every document.
"""
from __future__ import annotations

import functools
import re
import unicodedata

from ..model import Entity
from .names import tag
from .state import Mention, State, in_text_order

__all__ = ["resolve_mentions", "build_entities", "normalise"]
_NESTABLE = {"City", "Province", "Region", "WaterBody", "Industry"}
_IN_PROJECTS = {"ParkZone", "Organization"}  # 宿迁高新区…项目, 徐工集团…项目
_OUTER_SHOWS = {"ParkZone", "Region", "Infrastructure", "Cluster", "Agreement", "Project"}
_QUOTES = "“”\"'‘’《》〈〉「」『』【】"


@functools.lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """A name's identity: NFKC, no quotes or spaces, dashes unified.

    >>> normalise("“343”创新产业集群")
    '343创新产业集群'
    """
    s = unicodedata.normalize("NFKC", name)
    s = "".join(ch for ch in s if ch not in _QUOTES and not ch.isspace())
    return s.replace("—", "-").replace("–", "-")


def resolve_mentions(state: State, res) -> None:
    """Settle overlapping candidates into top-level and nested mentions."""
    cands = _prefer_parsed_lines(state.candidates, res)
    order = sorted(cands, key=lambda m: (-(m.end - m.start), -m.priority, m.start))
    top: list = []
    nested: list = []
    # the top-level mention at each offset, None where there is none (yet)
    taken = [None] * max([len(state.text)] + [m.end for m in cands])
    inside: dict = {}  # id(outer) -> the mentions nested in it
    for m in order:
        # The top-level mentions m overlaps (inlined: once per candidate). Mentions are taken
        # longest first, so one taken before m is at least as long: if it overlaps m, it
        # holds m's first or last offset (to lie strictly inside, it would have to be
        # shorter). Looking at those two offsets is enough.
        start, end = m.start, m.end
        if end > start:
            first, last = taken[start], taken[end - 1]
        else:
            first = last = None
        if first is None and last is None:
            top.append(m)
            taken[start:end] = [m] * (end - start)
            continue
        if first is None:
            outer = last
        elif last is None or last is first:
            outer = first
        else:
            continue  # two of them
        if not (outer.start <= start and end <= outer.end):
            continue
        if outer.start == start and outer.end == end:
            continue
        if (m.type in _NESTABLE and outer.type in _OUTER_SHOWS
                or m.type in _IN_PROJECTS and outer.type == "Project"
                or m.type == "City" and outer.meta.get("hides_places") is False) \
                and not outer.meta.get("hides_places"):
            siblings = inside.setdefault(id(outer), [])
            if any(n.start < m.end and m.start < n.end for n in siblings):
                continue
            m.outer = outer
            nested.append(m)
            siblings.append(m)
    state.mentions = in_text_order(top + nested)
    state.tagged = tag(state.text, top)


def _prefer_parsed_lines(cands: list, res) -> list:
    """A known link's alias that names a different stretch (青连铁路 in 青盐铁路) is its own line."""
    lines = [m for m in cands if m.type == "Infrastructure"]
    if not any(m.rule == "abbreviated_line" for m in lines):
        return cands  # no parsed line: none to prefer (most texts)
    by_span = {}
    for m in lines:
        by_span.setdefault((m.start, m.end), []).append(m)
    drop = set()
    for span, group in by_span.items():
        known = [m for m in group if m.meta.get("known")]
        parsed = [m for m in group if m.rule == "abbreviated_line"]
        if not known or not parsed:
            continue
        k, p = known[0], parsed[0]
        link = set(k.places)
        names = set(p.places)
        ends = {k.places[0], k.places[-1]} if k.places else set()
        reread = {}
        if names - link and link and all(_other_reading(res, p.canonical, c, link)
                                         for c in names - link):
            # 徐兰高铁: 兰 read as 兰考 where the link's 兰州 is the other reading: read as
            # the link's place
            for ch in p.canonical:
                readings = res.city_abbreviations.get(ch, ())
                mine = [r for r in readings if r in link]
                for r in readings:
                    if r not in link and len(mine) == 1:
                        reread[r] = mine[0]
            names = {reread.get(c, c) for c in names}
        if names == link or names == ends or not p.places:
            k.meta["name_places"] = tuple(reread.get(c, c) for c in p.places)
            drop.add(id(p))
            for m in cands:  # the characters' own mentions read so too
                if m.code in reread and m.meta.get("abbreviation") and p.start <= m.start < p.end:
                    m.code = reread[m.code]
                    m.canonical = res.place_canonical(res.place(m.code))
        else:
            drop.add(id(k))
    return [m for m in cands if id(m) not in drop] if drop else cands


def _other_reading(res, name: str, code: str, link: set) -> bool:
    """Does a character of ``name`` that reads as ``code`` also read as a place of ``link``?"""
    return any(code in readings and any(r in link for r in readings)
               for readings in (res.city_abbreviations.get(ch, ()) for ch in name))


class _Union:
    def __init__(self):
        self.parent = {}

    def find(self, x):
        while self.parent.get(x, x) != x:
            self.parent[x] = self.parent.get(self.parent[x], self.parent[x])
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # keep the earlier key as the root
            self.parent[rb] = ra


def _key(m: Mention, res) -> str:
    if m.code:
        return "place:" + m.code
    if m.type == "Infrastructure":
        if m.meta.get("known"):
            return "link:" + m.canonical
        family = res.family(m.canonical, m.kind)
        if len(set(m.places)) >= 2:
            known = _known_by_places(res, m)
            if known:
                return "link:" + known
            return "infra:%s:%s" % (family, "-".join(sorted(set(m.places))))
        return "infra:%s:%s" % (family, normalise(m.canonical))
    if m.type == "Project":
        return "Project:" + _project_key(m.canonical, res)
    return "%s:%s" % (m.type, normalise(m.canonical))


def _known_by_places(res, m: Mention):
    key = (res.family(m.canonical, m.kind), frozenset(m.places))
    known = res.derived("links_by_places", lambda r: {})
    if key not in known:
        if len(known) >= 4096:
            known.clear()
        known[key] = _link_by_places(res, *key)
    return known[key]


def _link_by_places(res, family: str, names: frozenset):
    """The known link of a family that connects exactly ``names`` (or has them as its ends)."""
    for link in res.gazetteer.links:
        if res.family(link.name, link.kind) != family or not link.connects:
            continue
        if names == set(link.connects) or names == {link.connects[0], link.connects[-1]}:
            return link.name
    return None


def _project_key(name: str, res) -> str:
    modifiers = res.derived("project_modifiers",
                            lambda r: tuple(r.patterns.get("project_modifiers", [])))
    return _strip_project(normalise(name), modifiers)


_CAPACITY_PREFIX = re.compile(r"^年产[\d.]+[万亿千]?[^\d]{0,2}?(?=[\u4e00-\u9fff])")


@functools.lru_cache(maxsize=65536)
def _strip_project(s: str, modifiers: tuple) -> str:
    """A project's name without its modifiers (高效...) and its capacity (年产10GW...)."""
    for w in modifiers:
        s = s.replace(w, "")
    return _CAPACITY_PREFIX.sub("", s)


def _same_project(a: str, b: str) -> bool:
    """卓曜高效光伏电池项目 and 卓曜光伏电池项目: same start, one's letters inside the other's."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) < 5 or short[:2] != long_[:2] or short[-2:] != long_[-2:]:
        return False
    it = iter(long_)
    return all(ch in it for ch in short)


def _abbreviates(a: str, b: str) -> bool:
    """True if the shorter name is the longer one abbreviated: the same last four characters,
    its own characters in order inside the longer one, and at least six of them.

    >>> _abbreviates("人社协同发展框架协议", "淮海经济区人力资源和社会保障协同发展框架协议")
    True
    >>> _abbreviates("就业创业合作协议", "淮海经济区人力资源和社会保障协同发展框架协议")
    False
    """
    short, long_ = sorted((a, b), key=len)
    if len(short) < 6 or short == long_ or short[-4:] != long_[-4:]:
        return False
    it = iter(long_)
    return all(ch in it for ch in short)


def _distinct(mentions) -> list:
    """The first mention of each (key, canonical), in order."""
    seen, out = set(), []
    for m in mentions:
        k = (m.key, m.canonical)
        if k not in seen:
            seen.add(k)
            out.append(m)
    return out


_CLUSTER_END = re.compile(r"(?:产业)?集群$")


def build_entities(state: State, res) -> None:
    """Group the mentions into entities (one per identity key) in order of first mention."""
    text = state.text
    union = _Union()
    keyed = []
    tops, projects, agreements, lines = [], [], [], []
    name_keys = res.derived("name_keys", lambda r: {})  # (type, canonical) -> key
    if len(name_keys) >= 65536:  # names of many documents: keep memory bounded
        name_keys.clear()
    cluster_cores = {_CLUSTER_END.sub("", normalise(m.canonical)) for m in state.mentions
                     if m.type == "Cluster"}
    for m in state.mentions:
        if m.type == "Industry" and (m.outer is not None or m.meta.get("weak")
                                     or m.canonical in cluster_cores
                                     or any(c.endswith(text[m.start:m.end])
                                            for c in cluster_cores)):
            continue
        if m.code:
            k = "place:" + m.code  # places, the most, inline
        elif m.type == "Infrastructure":
            k = _key(m, res)
        else:  # the key of any other name depends on its type and canonical name only
            k = name_keys.get((m.type, m.canonical))
            if k is None:
                k = name_keys[(m.type, m.canonical)] = _key(m, res)
        m.key = k
        keyed.append(m)
        # (the mentions the rules below compare, listed in this one pass)
        if m.outer is None:
            tops.append(m)
        if m.type == "Project":
            projects.append(m)
        elif m.type == "Agreement":
            if m.outer is None:
                agreements.append(m)
        elif m.type == "Infrastructure":
            lines.append(m)
    # 又称 / 全称 / 简称: the two names around the word are one thing
    alias_words = res.derived("alias_words",
                              lambda r: frozenset(r.patterns.get("alias_words", [])))
    longest = res.derived("longest_alias_word",
                          lambda r: max(map(len, r.patterns.get("alias_words", [])), default=0))
    for a, b in zip(tops, tops[1:]):
        # (most gaps are longer than any of the words: not cut out of the text)
        if b.start - a.end <= longest and text[a.end:b.start] in alias_words and (
                a.type == b.type or {a.type, b.type} <= {
                "ParkZone", "Infrastructure"}):
            union.union(a.key, b.key)
    # Pairwise rules compare distinct names only (a long text repeats the same names many
    # times: comparing every pair of mentions would be quadratic in the text's length).
    # near-identical project names: each compared with the earlier ones, in order, of its group
    # only, names of five characters or more with the same first and last two (others are never
    # the same project; equal names have the same key already)
    groups: dict = {}
    for a in _distinct(projects):
        name = normalise(a.canonical)
        if len(name) < 5:
            continue
        group = groups.setdefault((name[:2], name[-2:]), [])
        for b, b_name in group:
            if _same_project(name, b_name):
                union.union(b.key, a.key)
        group.append((a, name))
    # an agreement named short (人社协同发展框架协议) and in full
    # (淮海经济区人力资源和社会保障协同发展框架协议): same ending, the short one's characters
    # in order inside the long one (compared likewise: names of six characters or more with
    # the same last four)
    groups = {}
    for a in _distinct(agreements):
        name = normalise(a.canonical)
        if len(name) < 6:
            continue
        group = groups.setdefault(name[-4:], [])
        for b, b_name in group:
            if a.key != b.key and _abbreviates(name, b_name):
                union.union(b.key, a.key)
        group.append((a, name))
    # a line named by its places in one form and by one-character forms in another: lines
    # with the same places and family are one
    first_line = {}
    for m in lines:
        if len(set(m.places)) >= 2:
            group = (frozenset(m.places), res.family(m.canonical, m.kind))
            if group in first_line:
                union.union(first_line[group].key, m.key)
            else:
                first_line[group] = m
    entities = {}
    find = union.find if union.parent else None  # most texts join no keys
    mention_entity, add_entity = state.mention_entity, state.entities.append
    for m in keyed:
        root = find(m.key) if find else m.key
        e = entities.get(root)
        surface = text[m.start:m.end]
        if e is None:
            e = Entity(type=m.type, canonical=m.canonical, text=surface, start=m.start,
                       end=m.end, kind=m.kind or None, code=m.code or None, rule=m.rule)
            if root.startswith("link:"):
                e.key = root[5:]
                if e.canonical != e.key:
                    e.aliases.append(e.canonical)
                    e.canonical = e.key
            elif not m.code:
                e.key = _iri_key(root)
            entities[root] = e
            add_entity(e)
        else:
            for alias in (m.canonical, surface):
                if alias != e.canonical and alias not in e.aliases:
                    e.aliases.append(alias)
        for alias in m.aliases:
            if alias and alias != e.canonical and alias not in e.aliases:
                e.aliases.append(alias)
        mention_entity[id(m)] = e
    for e in state.entities:
        if e.type == "Agreement" and e.aliases:
            # an agreement's full name is its canonical one, its short names aliases
            full = max([e.canonical] + [normalise(a) for a in e.aliases], key=len)
            if len(full) > len(normalise(e.canonical)):
                e.aliases = [a for a in e.aliases if normalise(a) != full] + [e.canonical]
                e.canonical = full
    # with no keys joined, each key is its own root: entities is already by key
    state.by_key = {k: entities[find(k)] for k in {m.key for m in keyed}} if find else entities


def _iri_key(root: str):
    """The key an IRI is minted from, for things whose name alone is not their identity."""
    if root.startswith(("infra:", "Project:")):
        return root.split(":", 1)[1]
    return None

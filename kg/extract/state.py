"""What the components share about one document: sentences, mentions, entities, relations.

A :class:`State` rides on the spaCy ``Doc`` (``doc._.hh``); each component reads what the
earlier ones left there and adds its own part. Offsets are character offsets in the text.
"""
from __future__ import annotations

import bisect
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Optional

from ..model import Document, Entity, Relation

__all__ = ["Mention", "State", "MARK", "CONT", "PUNCT", "split_sentences", "in_text_order"]

# Marker characters of the tagged text (private use area): each top-level mention is replaced
# by its type's marker followed by CONT for its other characters, so that offsets stay put.
CONT = "\ue000"
MARK = {"City": "\ue010", "Province": "\ue011", "Region": "\ue012", "Organization": "\ue013",
        "Agreement": "\ue014", "Project": "\ue015", "ParkZone": "\ue016", "Cluster": "\ue017",
        "Industry": "\ue018", "Infrastructure": "\ue019", "WaterBody": "\ue01a"}
PUNCT = set("，。、；：！？,.;:!?（）()【】[]「」『』《》〈〉\n\r\t \u3000…—-·/|")
_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’\"』」]?|\n+")


def split_sentences(text: str) -> list:
    """``(start, end)`` of each sentence: split after 。！？；, and at line breaks.

    >>> split_sentences("徐连高铁开通。连接两市！\\n新段")
    [(0, 7), (7, 12), (13, 15)]
    """
    return [m.span() for m in _SENTENCE.finditer(text)]


# A sentence starts at a character other than a space, and ends after its 。！？； (and a
# closing quote) or before a line break. (The same spans as the plainer form that skips
# the spaces first, [ \u3000\t]*([^。！？!?；;\n]*[^。！？!?；;\n \u3000\t][^。！？!?；;\n]*...):
# starting with a class, the regex engine skips ahead to where a sentence can start.)
_SENTENCE = re.compile(r"[^。！？!?；;\n \u3000\t][^。！？!?；;\n]*(?:[。！？!?；;]+[”’\"』」]?)?"
                       r"|[。！？!?；;]+[”’\"』」]?")


@dataclass
class Mention:
    """One stretch of text that names an entity."""

    start: int
    end: int
    type: str
    canonical: str
    kind: str = ""
    code: str = ""
    places: tuple = ()          # codes: the places an infrastructure connects, or a name's place
    rule: str = ""
    priority: int = 0
    aliases: tuple = ()
    key: str = ""
    status: str = ""
    outer: Optional["Mention"] = None   # the mention this one is nested in, if any
    meta: dict = field(default_factory=dict)
    entity: Optional[Entity] = None

    @property
    def span(self):
        return (self.start, self.end)

    def __len__(self):
        return self.end - self.start


_START, _END = attrgetter("start"), attrgetter("end")


def in_text_order(mentions) -> list:
    """Mentions by start, the longer first of two that start together, else as given.

    >>> [m.canonical for m in in_text_order([Mention(3, 5, "City", "宿州"),
    ...                                      Mention(0, 2, "City", "徐州"),
    ...                                      Mention(0, 5, "Region", "徐州都市圈")])]
    ['徐州都市圈', '徐州', '宿州']
    """
    # two stable sorts on attributes: the same order as sorting on (start, -length), faster
    out = sorted(mentions, key=_END, reverse=True)
    out.sort(key=_START)
    return out


class State:
    """One document in the pipeline."""

    def __init__(self, document: Document):
        self.document = document
        self.text = document.text
        self.date = document.date
        self.sentences = split_sentences(self.text)
        self._starts = [s for s, _ in self.sentences]
        self.self_place: dict = {}       # scope (city/province) -> code
        self.dateline: str = ""          # code of the prefecture a story is filed from
        self.zone_named = False          # does the text name the Huaihai Economic Zone?
        self.resolved_counties = None    # county codes written after their province
        self.sections = None             # (start, end, line, a, b) of each section, once found
        self.section_entity: dict = {}   # start of a section -> its own entity, if it has one
        self.lexical: list = []          # (start, end, word, entries) of the lexicon layer
        self.candidates: list = []       # Mention candidates before resolution
        self.mentions: list = []         # resolved mentions, top-level and nested
        self.entities: list = []         # Entity, in order of first mention
        self.by_key: dict = {}           # identity key -> Entity
        self.mention_entity: dict = {}   # id(mention) -> Entity
        self.relations: list = []
        self._seen: set = set()
        self._evidence: dict = {}        # sentence index (-1: the whole text) -> (s, e, evidence)
        self.tagged: str = ""
        self.protected: list = []        # spans inside which boundary words do not cut names
        self.boundary_ends: dict = {}    # end offset -> lengths of boundary words ending there
        self._mention_starts = None
        self._indexed = None
        self._cand_count = -1
        self._cands_sorted: list = []
        self._cand_starts: list = []
        self.place_ends = ({}, 0)        # see names._place_ends
        self.tallies = ({}, {}, 0)       # see names._tallies

    # -- sentences --------------------------------------------------------------------------
    def sentence_of(self, pos: int) -> int:
        """Index of the sentence holding ``pos`` (the previous one if ``pos`` is between)."""
        i = bisect_right(self._starts, pos) - 1  # called for every match of every rule: no max()
        return i if i > 0 else 0

    def sentence_span(self, pos: int) -> tuple:
        return self.sentences[self.sentence_of(pos)] if self.sentences else (0, len(self.text))

    def sentence_start(self, pos: int) -> int:
        """``sentence_span(pos)[0]``."""
        return self._starts[self.sentence_of(pos)] if self._starts else 0

    # -- relations --------------------------------------------------------------------------
    def relate(self, head: Entity, relation: str, tail, pos: int, rule: str,
               qualifier: Optional[str] = None) -> Optional[Relation]:
        """Add a relation once, with the sentence around ``pos`` as its evidence."""
        if head is None or tail is None:
            return None
        if isinstance(tail, Entity):
            if tail is head:
                return None
            tail_value = tail.canonical
        else:
            tail_value = tail
        # (a str tail is its own key: two are equal when their reprs are; any other tail is
        # keyed by its repr, in a tuple, which no str equals: the same keys as repr() alone)
        key = (head.canonical, relation,
               tail_value if type(tail_value) is str else (repr(tail_value),), qualifier)
        if key in self._seen:
            return None
        self._seen.add(key)
        i = self.sentence_of(pos) if self.sentences else -1  # (its evidence kept per sentence)
        found = self._evidence.get(i)
        if found is None:
            s, e = self.sentences[i] if i >= 0 else (0, len(self.text))
            found = self._evidence[i] = (s, e, self.text[s:e].strip())
        s, e, evidence = found
        r = Relation(head=head.canonical, relation=relation, tail=tail_value,
                     evidence=evidence, start=s, end=e, rule=rule, qualifier=qualifier)
        self.relations.append(r)
        return r

    def entity_of(self, mention: Mention) -> Optional[Entity]:
        return self.mention_entity.get(id(mention))

    def mentions_in(self, start: int, end: int, types=None, top_only=True) -> list:
        """Resolved mentions inside ``[start, end)``, in text order."""
        if self._mention_starts is None or self._indexed is not self.mentions:
            self._indexed = self.mentions
            self._mention_starts = [m.start for m in self.mentions]
        i = bisect.bisect_left(self._mention_starts, start)
        out = []
        ms = self.mentions
        n = len(ms)
        while i < n:
            m = ms[i]
            if m.start >= end:
                break
            i += 1
            if m.end <= end and (types is None or m.type in types) \
                    and not (top_only and m.outer is not None):
                out.append(m)
        return out

    def candidates_in(self, start: int, end: int) -> list:
        """Candidates inside ``[start, end)`` (an index rebuilt when candidates were added)."""
        cs, starts = self.candidate_index()
        i = bisect.bisect_left(starts, start)
        out = []
        n = len(cs)
        while i < n:
            m = cs[i]
            if m.start >= end:
                break
            if m.end <= end:
                out.append(m)
            i += 1
        return out

    def candidate_index(self) -> tuple:
        """``(candidates, starts)``: the candidates sorted by start (stable), and their starts."""
        if self._cand_count != len(self.candidates):
            fresh = self._cand_count <= 0 or self._cand_count > len(self.candidates)
            new = self.candidates if fresh else self.candidates[self._cand_count:]
            if fresh or len(new) * 8 > len(self.candidates):
                self._cands_sorted = sorted(self.candidates, key=_START)
                self._cand_starts = [m.start for m in self._cands_sorted]
            elif len(new) > 32:
                # some added: merged in by a sort of the sorted list and them (stable: the
                # same order as sorted()), cheaper than their inserts into a long list
                self._cands_sorted += new
                self._cands_sorted.sort(key=_START)
                self._cand_starts = [m.start for m in self._cands_sorted]
            else:  # a few added: insert them (stable: after equal starts, as sorted() does)
                for m in new:
                    k = bisect.bisect_right(self._cand_starts, m.start)
                    self._cand_starts.insert(k, m.start)
                    self._cands_sorted.insert(k, m)
            self._cand_count = len(self.candidates)
        return self._cands_sorted, self._cand_starts

"""The gazetteer: China's administrative units, the zone's membership, known links, industries.

Everything is read from data files under ``data/`` (see ``data/gazetteer/``); this
module only loads and indexes them. Load once with :func:`load_gazetteer` (cached
per folder) and pass the object to whatever needs it.

>>> gaz = load_gazetteer()
>>> gaz.places["320300"].name, gaz.places["320300"].zone
('徐州市', 'member')
>>> [p.name for p in gaz.lookup("彭城")]
['徐州市']
>>> sorted(p.name for p in gaz.abbreviation("宿"))
['宿州市', '宿迁市']
"""
from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .resources import data_dir

__all__ = ["Place", "Link", "IndustryTerm", "Gazetteer", "load_gazetteer"]


@dataclass
class Place:
    """An administrative unit: province, prefecture-level city or county-level unit."""

    code: str
    name: str
    short: str
    level: str            # province | prefecture | county
    province: str         # code of its province ('' for a province)
    parent: str           # code of its parent unit ('' for a province)
    lat: float
    lon: float
    zone: str = ""        # member | historic | variant | ''
    core2010: bool = False
    aliases: list = field(default_factory=list)        # nicknames, former names
    abbreviations: list = field(default_factory=list)  # one-character forms

    @property
    def names(self):
        """Every full-length name of this unit (not its one-character forms)."""
        out = [self.name]
        if self.short:
            out.append(self.short)
        return out + [a for a in self.aliases if a not in out]


@dataclass
class Link:
    """A well-known infrastructure link from ``data/infrastructure.csv``."""

    name: str
    kind: str
    connects: list
    aliases: list
    status: str
    opened: str


@dataclass
class IndustryTerm:
    """A concept of the industry vocabulary (``data/industries.csv``)."""

    id: str
    label_zh: str
    label_en: str
    broader: str
    aliases: list


def _rows(path: Path):
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(line for line in f if not line.startswith("#"))


def _split(value):
    return [v for v in (value or "").split("|") if v]


class Gazetteer:
    """Indexes over the data files. Build it with :func:`load_gazetteer`."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        g = self.folder / "gazetteer"
        self.places: dict[str, Place] = {}
        for r in _rows(g / "places.csv"):
            self.places[r["code"]] = Place(
                code=r["code"], name=r["name"], short=r["short"], level=r["level"],
                province=r["province"], parent=r["parent"],
                lat=float(r["lat"]), lon=float(r["lon"]))
        for r in _rows(g / "zone.csv"):
            p = self.places.get(r["code"])
            if p is None:
                continue
            p.zone, p.core2010 = r["status"], r["core2010"] == "yes"
            if r["lat"]:
                p.lat, p.lon = float(r["lat"]), float(r["lon"])
        for r in _rows(g / "aliases.csv"):
            p = self.places.get(r["code"])
            if p is not None and r["alias"] not in p.aliases:
                p.aliases.append(r["alias"])
        self.abbreviations: dict[str, list] = {}
        self.weights: dict[tuple, float] = {}
        for r in _rows(g / "abbreviations.csv"):
            if r["code"] in self.places:
                self.abbreviations.setdefault(r["char"], []).append(r["code"])
                self.weights[(r["char"], r["code"])] = float(r["weight"])
                self.places[r["code"]].abbreviations.append(r["char"])
        self.province_abbreviations: dict[str, str] = {}
        for r in _rows(g / "province_abbreviations.csv"):
            if r["code"] in self.places:
                self.province_abbreviations[r["char"]] = r["code"]
                if r["char"] not in self.places[r["code"]].abbreviations:
                    self.places[r["code"]].abbreviations.append(r["char"])
        self._by_name: dict[str, list] = {}
        for p in self.places.values():
            for n in p.names:
                self._by_name.setdefault(n, []).append(p.code)
        self.links = [Link(r["name"], r["kind"], _split(r["connects"]), _split(r["aliases"]),
                           r["status"], r["opened"])
                      for r in _rows(self.folder / "infrastructure.csv")]
        self.industries = [IndustryTerm(r["id"], r["label_zh"], r["label_en"], r["broader"],
                                        _split(r["aliases"]))
                           for r in _rows(self.folder / "industries.csv")]

    def lookup(self, name: str) -> list:
        """The places a name can mean, most likely first (zone members, then higher levels).

        >>> [p.code for p in load_gazetteer().lookup("宿州市")]
        ['341300']
        """
        order = {"province": 0, "prefecture": 1, "county": 2}
        zone = {"member": 0, "historic": 1, "variant": 2}
        found = [self.places[c] for c in self._by_name.get(name, [])]
        return sorted(found, key=lambda p: (order[p.level], zone.get(p.zone, 3), p.code))

    def abbreviation(self, char: str) -> list:
        """The cities a one-character form can mean (several when it is ambiguous)."""
        return [self.places[c] for c in self.abbreviations.get(char, [])]

    def province_of(self, code: str) -> Optional[Place]:
        """The province a unit belongs to (itself for a province)."""
        p = self.places.get(code)
        if p is None:
            return None
        return p if p.level == "province" else self.places.get(p.province)

    def prefecture_of(self, code: str) -> Optional[Place]:
        """The prefecture-level city a unit belongs to (itself for a prefecture)."""
        p = self.places.get(code)
        while p is not None and p.level == "county":
            p = self.places.get(p.parent)
        return p

    def members(self, status: str = "member") -> list:
        """The zone's cities with this membership status, by code."""
        return sorted((p for p in self.places.values() if p.zone == status), key=lambda p: p.code)


def load_gazetteer(folder: Optional[str] = None) -> Gazetteer:
    """Load (once) the gazetteer from ``folder`` (default: the project's ``data/``)."""
    return _load_gazetteer(str(folder) if folder else None)


@functools.lru_cache(maxsize=4)
def _load_gazetteer(folder: Optional[str]) -> Gazetteer:
    # (one cache key per folder: cached on load_gazetteer itself, load_gazetteer() and
    # load_gazetteer(None) were two keys, and the pipeline loaded the gazetteer twice)
    return Gazetteer(Path(folder) if folder else data_dir())

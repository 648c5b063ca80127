"""Dates in a sentence, resolved against the document's date.

A date keeps the precision the text gives it (``2019-12``, ``2021-02-08``); a date without a
year takes the document's year, a bare day (8日) the document's month: in an article dated
2021-02-07, 将于8日开通 is 2021-02-08.

>>> [d.value for d in find_dates("徐连高铁将于8日开通。", "2021-02-07")]
['2021-02-08']
>>> [d.value for d in find_dates("2019年12月，商合杭高铁建成；今年3月开工。", "2023-10-20")]
['2019-12', '2023-03']

A month more than half a year past the document's, with no year said, is last year's,
unless the sentence looks ahead (将于, 预计...):

>>> [d.value for d in find_dates("12月28日，永砀高速建成通车。", "2025-01-05")]
['2024-12-28']
>>> [d.value for d in find_dates("项目预计11月建成。", "2025-01-05")]
['2025-11']

A month named from the document's: 上月 (上个月), 本月, 下月:

>>> [d.value for d in find_dates("上月底，城际公交开通；下月28日将通车。", "2024-01-10")]
['2023-12', '2024-02-28']
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .numbers import parse_number

__all__ = ["DateMention", "find_dates"]

_NUM = r"(?:\d{1,4}|[零〇一二两三四五六七八九十]{1,3})"
# Every part is optional, so the pattern also matches the empty string; the lookahead (the
# characters a date can begin with) makes the search skip to where one can begin instead of
# stopping at every character. It does not change which dates are found.
_DATE = re.compile(
    r"(?=[\d零〇一二两三四五六七八九十今去明前当同上本下])"
    r"(?:(?P<year>(?:19|20)\d{2})年|(?P<rel>今年|去年|明年|前年|当年|同年))?"
    r"(?:(?P<month>" + _NUM + r")月(?:份)?|(?P<relm>上个?月|本月|下个?月)(?=[底初末中上下]|\d"
    r"|[零〇一二两三四五六七八九十]{1,3}日|[，,。、]|起|开始|以来|正式|已|将))?"
    r"(?:(?P<day>" + _NUM + r")(?:日|号(?![线楼院门文令机位车])))?")


@dataclass
class DateMention:
    """A date found in text: its offsets (in the text searched) and ISO value."""

    start: int
    end: int
    value: str
    explicit_year: bool


def _int(text: Optional[str]) -> Optional[int]:
    if not text:
        return None
    v = parse_number(text)
    return int(v) if v is not None else None


def find_dates(text: str, document_date: Optional[str] = None, offset: int = 0) -> list:
    """Every date in ``text`` with its ISO value (None-year dates need ``document_date``)."""
    base_y = base_m = base_d = None
    if document_date:
        parts = document_date.split("-")
        base_y = int(parts[0])
        base_m = int(parts[1]) if len(parts) > 1 else None
        base_d = int(parts[2]) if len(parts) > 2 else None
    out = []
    for m in _DATE.finditer(text):
        if m.end() == m.start():
            continue
        year, rel = _int(m.group("year")), m.group("rel")
        month, day = _int(m.group("month")), _int(m.group("day"))
        if m.group("relm"):
            # 上月, 本月, 下个月: the month before, of or after the document's
            if base_m is None or rel or m.group("year"):
                continue
            shift = {"上": -1, "本": 0, "下": 1}[m.group("relm")[0]]
            month = (base_m - 1 + shift) % 12 + 1
            year = base_y + (base_m - 1 + shift) // 12
        if year is None and rel is None and month is None and day is None:
            continue
        if rel and month is None and day is None and not m.group("year"):
            # 今年 alone: a year
            pass
        if month is not None and not 1 <= month <= 12 or day is not None and not 1 <= day <= 31:
            continue
        if year is None:
            if base_y is None:
                continue
            shift = {"去年": -1, "明年": 1, "前年": -2}.get(rel or "", 0)
            year = base_y + shift
        if month is None and day is not None:
            # a bare day: the document's month (the next one if that day has passed and the
            # sentence looks forward is beyond what a rule can tell; keep the month)
            if base_m is None or m.group("year") or rel:
                continue
            month = base_m
            if base_d is not None and day < base_d and _looks_ahead(text, m.start()):
                month = month % 12 + 1
                year += month == 1
        if (month is not None and not m.group("year") and not rel and not m.group("relm")
                and base_m is not None
                and (month - base_m) * 31 + (day or 1) - (base_d or 1) > 183
                and not _looks_ahead(text, m.start())):
            # a month half a year past the document's, year unsaid: the nearer one is the
            # last year's (12月28日建成通车 in an article of 2025-01-05 is 2024-12-28)
            year -= 1
        if month is None:
            value = "%04d" % year
        elif day is None:
            value = "%04d-%02d" % (year, month)
        else:
            value = "%04d-%02d-%02d" % (year, month, day)
        out.append(DateMention(offset + m.start(), offset + m.end(), value,
                               bool(m.group("year"))))
    return out


def _looks_ahead(text: str, pos: int) -> bool:
    return any(w in text[max(0, pos - 4):pos] for w in ("将于", "将在", "即将", "拟于", "预计"))

"""Numbers as Chinese news writes them: 80亿元, 约42亿元, 6500万元, 两条, 12GW到15GW.

>>> parse_number("两")
2.0
>>> money("总投资约1.2万亿元")
1200000000000.0
>>> money("6500万元")
65000000.0
"""
from __future__ import annotations

import re
from typing import Optional

__all__ = ["parse_number", "money", "NUMBER", "MONEY", "MULTIPLIERS"]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
MULTIPLIERS = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "亿": 1e8, "千万": 1e7, "百万": 1e6,
               "万": 1e4, "千": 1e3, "百": 1e2}

NUMBER = r"(?:\d+(?:[.,]\d+)*|[零〇一二两三四五六七八九十百千]+)"
"""A figure in Arabic digits (12, 5.2, 6,500) or Chinese numerals (十四, 两)."""

MONEY = re.compile(r"(?P<num>\d+(?:[.,]\d+)*|[零〇一二两三四五六七八九十百千]+)\s*"
                   r"(?P<mult>万亿|千亿|百亿|亿|千万|百万|万)?\s*(?:多|余)?\s*(?:元|人民币)")

_GROUPED = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_DECIMAL = re.compile(r"\d+(?:\.\d+)?")


def parse_number(text: str) -> Optional[float]:
    """A figure in Arabic or Chinese numerals as a float, or None.

    >>> parse_number("6,500"), parse_number("十四"), parse_number("二十"), parse_number("x")
    (6500.0, 14.0, 20.0, None)
    """
    s = text.strip()
    if not s:
        return None
    if _GROUPED.fullmatch(s):
        return float(s.replace(",", ""))
    if _DECIMAL.fullmatch(s):
        return float(s)
    if not all(ch in _DIGITS or ch in _SMALL_UNITS for ch in s):
        return None
    total, current = 0, 0
    for ch in s:
        if ch in _DIGITS:
            current = current * 10 + _DIGITS[ch] if current and s.isdigit() else _DIGITS[ch]
        else:
            total += (current or 1) * _SMALL_UNITS[ch]
            current = 0
    return float(total + current)


def money(text: str) -> Optional[float]:
    """The first amount of money in a text, in yuan (约, 逾, 超 keep the figure), or None.

    >>> money("该项目总投资80亿元"), money("一期投资约42亿元"), money("总投资逾20亿元")
    (8000000000.0, 4200000000.0, 2000000000.0)
    """
    m = MONEY.search(text)
    if not m:
        return None
    value = parse_number(m.group("num"))
    if value is None:
        return None
    return value * MULTIPLIERS.get(m.group("mult") or "", 1)

"""Document metadata found in the text itself: title, publication date, publisher.

Regional news carries them in a few stock forms: a ``发布时间：2024-04-09`` line, a
dateline (``新华社徐州3月5日电``, which needs a year from elsewhere), a
``来源：徐州发布`` line, or a date in parentheses after the source.

>>> meta = document_metadata("徐连高铁开通\\n发布时间：2021-02-07 10:00\\n来源：徐州日报\\n正文。")
>>> meta["title"], meta["date"], meta["publisher"]
('徐连高铁开通', '2021-02-07', '徐州日报')
>>> document_metadata("商丘日报讯 1月20日，市人代会开幕。")["publisher"]
'商丘日报'
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Optional

__all__ = ["document_metadata", "parse_iso_date", "check_date", "is_date", "dateline_place"]

_FULL_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?")
_LABELLED_DATE = re.compile(r"(?:发布时间|发布日期|时间|日期|发稿时间|更新时间)\s*[:：]?\s*")
_SOURCE = re.compile(r"(?:来源|稿源|信息来源|来源于)\s*[:：]\s*(?P<src>[^\s|｜,，。;；:：()（）]{2,20})")
_BY_PUBLISHER = re.compile(r"[（(]\s*来源\s*[:：]\s*(?P<src>[^\s,，)）]{2,20})")
_HEAD_CHARS = 400
_NAVIGATION = re.compile(r"[>»|｜]|所在的?位置|当前位置|首页|点赞|分享|^\d+$")


def parse_iso_date(value: str) -> Optional[str]:
    """``YYYY-MM-DD`` from a few written forms, or None.

    >>> parse_iso_date("2024年4月9日"), parse_iso_date("2021/2/7"), parse_iso_date("soon")
    ('2024-04-09', '2021-02-07', None)
    """
    m = _FULL_DATE.search(value or "")
    if not m:
        return None
    try:  # a day of the calendar (2月30日 is a typo, not a date)
        return _dt.date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
    except ValueError:
        return None


def _publisher_date(text: str) -> Optional[str]:
    r"""A labelled date first; else a full date standing on a short line of its own (a
    dateline, a source line) in the head or the tail. A date inside a body sentence is what
    the article is about, not when it was published.

    >>> _publisher_date("标题\n1986年3月15日，淮海经济区成立，这是较早的跨省区域合作组织。")
    >>> _publisher_date("标题\n2023年6月12日 10:00\n正文。")
    '2023-06-12'
    """
    head = text[:_HEAD_CHARS]
    for m in _LABELLED_DATE.finditer(head):
        date = parse_iso_date(head[m.end():m.end() + 24])
        if date and _FULL_DATE.match(head[m.end():m.end() + 24]):
            return date
    for part in (head, text[-200:]):
        for m in _FULL_DATE.finditer(part):
            found = m.group(0).rstrip()
            line_start = part.rfind("\n", 0, m.start()) + 1
            line_end = part.find("\n", m.start() + len(found))
            line = part[line_start:line_end if line_end >= 0 else len(part)]
            rest = line.replace(found, "")
            if "来源" in line or len(re.sub(r"[\s\d:：()（）|｜·,，\-]", "", rest)) <= 12:
                date = parse_iso_date(m.group(0))
                if date:
                    return date
    return None


def check_date(value: str) -> None:
    """Raise :class:`~kg.errors.ExtractionError` unless ``value`` is a document date:
    ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, a day of the calendar (2021-13-01 and
    2021-02-30 would be written as invalid ``xsd:date`` literals).

    >>> check_date("2021-02-28")
    >>> check_date("2021-02-30")
    Traceback (most recent call last):
    kg.errors.ExtractionError: document date '2021-02-30' is not a date; write it as YYYY-MM-DD, e.g. 2024-04-09
    """
    from .errors import ExtractionError

    if not is_date(str(value)):
        raise ExtractionError("document date %r is not a date; write it as YYYY-MM-DD, "
                              "e.g. 2024-04-09" % (value,))


def is_date(text: str) -> bool:
    """Whether ``text`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` of the calendar.

    >>> [is_date(t) for t in ("2021", "2021-02", "2021-02-28", "2021-13", "2021-02-30", "21")]
    [True, True, True, False, False, False]
    """
    try:
        return re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", text) is not None and bool(
            _dt.date.fromisoformat((text + "-01-01")[:10]))
    except ValueError:
        return False


def document_metadata(text: str) -> dict:
    """Title, ISO date and publisher a document states about itself (None where absent)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    title = None
    for ln in lines[:6]:
        if len(ln) <= 60 and not _NAVIGATION.search(ln) and not _LABELLED_DATE.match(ln) and not _SOURCE.search(ln):
            title = ln
            break
    publisher = None
    for pattern in (_SOURCE, _BY_PUBLISHER):
        found = list(pattern.finditer(text[:_HEAD_CHARS])) + list(pattern.finditer(text[-300:]))
        if found:
            publisher = re.sub(r"\d+$", "", found[0]["src"]).strip() or None
            break
    if publisher is None:
        # a lead that names the paper: 商丘日报讯, 济宁新闻网讯 (本报讯 names none)
        m = _LEAD.search(text[:_HEAD_CHARS])
        if m:
            publisher = m["src"]
    if publisher is None and title:
        # an official document's title names its issuer: X关于印发…的通知
        m = _ISSUER.match(title)
        if m:
            publisher = m["org"]
    return {"title": title, "date": _publisher_date(text), "publisher": publisher}


_LEAD = re.compile(r"(?:^|\n)[ \u3000]*(?P<src>(?!本报)[\u4e00-\u9fff]{2,8}?(?:日报|晚报|早报|新闻网"
                   r"|发布|融媒体中心|广播电视台|电视台))(?:[ \u3000]*讯|[ \u3000]*消息)")
_ISSUER = re.compile(r"(?P<org>[^\s，,。（）()]{4,30}?)关于[^\n]{2,120}的(?:通知|意见|决定|批复|公告|通报|函)$")
_DATELINE = re.compile(r"(?:新华社|中新社|中新网|人民网|央视网|本报|新华网|大众网|中国新闻网)"
                       r"(?P<place>[\u4e00-\u9fff]{2,4}?)(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:电|讯)")


def dateline_place(text: str) -> Optional[str]:
    """The place a news story is filed from (新华社济南12月26日电 -> 济南), or None.

    >>> dateline_place("新华社济南2021年12月26日电（记者 王宁）26日9时许")
    '济南'
    """
    m = _DATELINE.search(text[:_HEAD_CHARS])
    return m["place"] if m else None

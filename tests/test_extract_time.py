"""Dates: openings resolved against the document's date, statuses kept apart."""
import pytest

from kg.extract.dates import find_dates


@pytest.mark.parametrize("text, doc_date, expected", [
    ("将于8日开通", "2021-02-07", ["2021-02-08"]),
    ("2019年12月16日开通", None, ["2019-12-16"]),
    ("今年6月开工", "2023-10-20", ["2023-06"]),
    ("去年9月签约", "2024-03-01", ["2023-09"]),
    ("2020年建成", "2024-03-01", ["2020"]),
    ("预计5日通车", "2023-01-28", ["2023-02-05"]),
    # no year said: the month nearer the document's (last December in a January article),
    # unless the sentence looks ahead
    ("12月28日建成通车", "2025-01-05", ["2024-12-28"]),
    ("11月开工", "2025-02-10", ["2024-11"]),
    ("将于11月建成", "2025-02-10", ["2025-11"]),
    ("3月开工", "2025-08-10", ["2025-03"]),
    # a month named from the document's
    ("上月底开通", "2024-05-01", ["2024-04"]),
    ("上个月28日开通", "2024-01-10", ["2023-12-28"]),
    ("下月起实施", "2024-12-10", ["2025-01"]),
    ("上下游企业加快集聚", "2024-05-01", []),
])
def test_dates_resolved_against_the_document_date(text, doc_date, expected):
    assert [d.value for d in find_dates(text, doc_date)] == expected


def test_a_bare_day_needs_a_document_date():
    assert find_dates("将于8日开通", None) == []


def opened(result):
    return {(r.head, r.tail) for r in result.relations if r.relation == "opened"}


@pytest.mark.parametrize("text, date, expected", [
    ("连淮扬镇铁路将于11日全线开通运营。", "2020-12-09", {("连淮扬镇铁路", "2020-12-11")}),
    ("2018年12月26日，青盐铁路正式开通。", None, {("青盐铁路", "2018-12-26")}),
    ("今天上午，潍宿高铁正式开通运营。", "2026-06-30", {("潍宿高铁", "2026-06-30")}),
])
def test_openings(run, text, date, expected):
    assert opened(run(text, date=date)) == expected


def test_a_construction_start_is_not_an_opening(run):
    result = run("2023年5月，淮北至宿州高速公路开工建设。", date="2023-06-01")
    assert not opened(result)
    line = [e for e in result.entities if e.type == "Infrastructure"][0]
    assert line.status == "UnderConstruction"


def test_status_opened_without_a_date(run):
    result = run("徐连高铁通车运行，群众出行更便捷。")
    line = [e for e in result.entities if e.canonical == "徐连高铁"][0]
    assert line.status == "Opened" and not opened(result)


def test_what_a_completion_will_bring_is_no_report_of_one(run):
    result = run("砀山果汁饮料项目日前开工，总投资6.5亿元，建成后可带动农户增收2亿元。")
    project = [e for e in result.entities if e.type == "Project"][0]
    assert project.status == "UnderConstruction"
    # an opening the sentence looks back on still is one
    result = run("徐连高铁2月8日开通后，两地往来更加便利。", date="2024-05-01")
    assert opened(result) == {("徐连高铁", "2024-02-08")}


def test_the_document_date_comes_from_the_text(run):
    text = "发布时间：2021-02-07 10:00\n徐连高铁将于8日开通。"
    assert opened(run(text)) == {("徐连高铁", "2021-02-08")}


def test_an_explicit_date_overrides_the_text(extractor):
    import kg

    result = kg.extract("发布时间：2021-02-07\n徐连高铁将于8日开通。", date="2021-03-01")
    assert {(r.head, r.tail) for r in result.relations if r.relation == "opened"} == {
        ("徐连高铁", "2021-03-08")}


@pytest.mark.parametrize("date", ["8 Feb", "2021-13-01", "2021-02-30", "2021-00"])
def test_a_bad_date_is_refused(extractor, date):
    from kg.errors import ExtractionError
    from kg.model import Document

    with pytest.raises(ExtractionError, match="YYYY-MM-DD"):
        extractor.extract_document(Document(id="x", text="徐连高铁开通。", date=date))


def test_an_impossible_date_in_the_text_is_no_date():
    from kg.metadata import document_metadata

    assert document_metadata("发布时间：2021年2月30日\n徐连高铁开通。")["date"] is None
    assert document_metadata("发布时间：2021年2月28日\n徐连高铁开通。")["date"] == "2021-02-28"


def test_a_target_year_is_no_opening(run):
    # 2025年底建成通车 in a notice of 2024: a plan, whatever the verb
    result = run("1. 建成徐州至济宁高速公路徐州段，2025年底建成通车。", date="2024-03-08")
    assert not opened(result)
    assert [e.status for e in result.entities if e.type == "Infrastructure"] == ["Planned"]
    # a line under construction stays so
    result = run("徐州至济宁高速公路开工建设，2025年底建成通车。", date="2024-03-08")
    assert [e.status for e in result.entities if e.type == "Infrastructure"] == [
        "UnderConstruction"]

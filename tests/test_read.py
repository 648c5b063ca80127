"""Reading documents: encodings, HTML, metadata, and one clear failure per bad file."""
import codecs
import os

import pytest

from kg.errors import InputError
from kg.read import ReadFailure, find_files, iter_documents, read_document

TEXT = "发布时间：2021-02-07\n徐连高铁将于8日开通运营，连接徐州和连云港两市。"
TRAD = "發布時間：2021-02-07\n徐連高鐵將於8日開通運營，連接徐州和連雲港兩市的交通網絡。"


@pytest.mark.parametrize("data, encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("gb18030"), "gb18030"),
    (TEXT.encode("gbk"), "gb18030"),
    (TRAD.encode("big5"), "big5"),
    (TEXT.encode("utf-16"), "utf-16"),
])
def test_encodings_are_detected(tmp_path, data, encoding):
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.encoding == encoding
    assert "徐州" in doc.text
    assert doc.date == "2021-02-07"
    assert not doc.text.startswith("\ufeff")


def test_encoding_can_be_forced(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode("gb18030"))
    assert "徐州" in read_document(path, encoding="gb18030").text
    with pytest.raises(InputError, match="not valid utf-8"):
        read_document(path, encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding"):
        read_document(path, encoding="no-such-codec")


@pytest.mark.parametrize("encoding, message", [
    ("no-such-codec", "unknown encoding"), ("base64", "not a text encoding"),
    ("rot13", "not a text encoding"), ("idna", "cannot decode a text file"),
    ("undefined", "cannot decode a text file")])
def test_an_encoding_that_decodes_no_text_is_refused_up_front(encoding, message):
    from kg.read import check_encoding

    with pytest.raises(InputError, match=message):
        check_encoding(encoding)
    for fine in (None, "utf-8", "gbk", "big5", "utf-16"):
        check_encoding(fine)


def test_html_keeps_article_text_and_metadata(tmp_path):
    page = """<!DOCTYPE html><html><head><title>徐连高铁开通</title>
    <meta name="pubdate" content="2021-02-08 09:00"><style>p{color:red}</style>
    <script>var x = "徐州不应出现在正文";</script></head><body>
    <nav>首页 | 新闻 | 联系我们</nav><article><p>徐连高铁今天开通。</p><p>连接徐州和连云港。</p></article>
    <footer>版权所有</footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    assert doc.title == "徐连高铁开通"
    assert doc.date == "2021-02-08"
    assert "徐连高铁今天开通。" in doc.text and "连接徐州和连云港。" in doc.text
    for dropped in ("var x", "color:red", "首页", "版权所有"):
        assert dropped not in doc.text


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"   \n\n  ", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "looks binary"),
    (bytes(range(128, 256)) * 20, "neither UTF-8"),
])
def test_bad_files_get_one_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as err:
        read_document(path)
    assert str(path) in str(err.value)


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_document(tmp_path / "nope.txt")


def test_large_file_is_refused_with_the_limit(tmp_path, monkeypatch):
    import kg.read

    monkeypatch.setattr(kg.read, "MAX_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_text("徐州" * 1000, encoding="utf-8")
    with pytest.raises(InputError, match="over the 0 MB limit|split it"):
        read_document(path)


def test_a_mixed_folder_yields_good_documents_and_failures(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes(TEXT.encode("gbk"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "image.png").write_bytes(b"\x89PNG")          # not a text suffix: ignored
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.htm").write_text("<p>宿迁与徐州合作。</p>", encoding="utf-8")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    items = list(iter_documents([tmp_path]))
    good = sorted(d.id.split("/", 1)[1] for d in items if not isinstance(d, ReadFailure))
    bad = sorted(f.path.rsplit("/", 1)[1] for f in items if isinstance(f, ReadFailure))
    assert good == ["gbk.txt", "good.txt", "sub/page.htm"]
    assert bad == ["bin.txt", "dangling.txt", "empty.txt"]
    assert all(f.reason for f in items if isinstance(f, ReadFailure))


def test_order_and_ids_do_not_depend_on_argument_order(tmp_path):
    for name in ("b.txt", "a.txt", "c.txt"):
        (tmp_path / name).write_text(TEXT + name, encoding="utf-8")
    files = [tmp_path / "c.txt", tmp_path / "a.txt"]
    one = [d.id for d in iter_documents(files)]
    two = [d.id for d in iter_documents(list(reversed(files)))]
    three = [d.id for d in iter_documents([tmp_path / "a.txt", tmp_path])]
    assert one == two == [tmp_path.name + "/a.txt", tmp_path.name + "/c.txt"]
    assert three == [tmp_path.name + "/" + n for n in ("a.txt", "b.txt", "c.txt")]


def test_a_file_reached_twice_is_one_document_and_links_keep_their_identity(tmp_path):
    corpus, other = tmp_path / "corpus", tmp_path / "other"
    (corpus / "sub").mkdir(parents=True)
    other.mkdir()
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "sub" / "b.txt").write_text(TEXT + "b", encoding="utf-8")
    (other / "o.txt").write_text(TEXT + "o", encoding="utf-8")
    (corpus / "link.txt").symlink_to(other / "o.txt")      # the same file as other/o.txt
    (corpus / "sub" / "folder-link").symlink_to(other)      # a linked folder is not entered
    os.link(corpus / "a.txt", corpus / "hard.txt")          # a hard link is a file of its own
    (tmp_path / "alias").symlink_to(corpus)                 # a folder named through a link
    expected = ["corpus/a.txt", "corpus/hard.txt", "corpus/link.txt", "corpus/sub/b.txt"]
    for inputs in ([corpus, other], [other, corpus], [tmp_path / "alias", other],
                   [corpus / "sub" / ".." / "link.txt", corpus, other, tmp_path / "alias"]):
        found = find_files(inputs)
        assert [doc_id for _, doc_id in found] == expected, inputs
    assert find_files([other])[0][1] == "other/o.txt"

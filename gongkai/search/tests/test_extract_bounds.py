"""Extraction is bounded in decompressed bytes, pages, characters, wall time and memory, and keeps
what it read before a limit. The files are the shapes found in issue 10, scaled down, with limits
scaled down with them (the production figures are in the report: docs and settings)."""

import zlib

from gongkai.search.extract import DOCX, PDF, Limits, extract
from gongkai.search.extract_worker import extract_isolated
from gongkai.testing import attachment_files as files

MiB = 1024 * 1024


def test_pages_sharing_one_content_stream_are_read_once():
    # The 10 KB PDF: 50 pages drawing one 1 MiB stream held the write lock for 51 s.
    data = files.pdf_shared_stream_bomb(pages=50, stream_bytes=MiB)
    assert len(data) < 12_000

    result = extract_isolated(data, PDF, Limits(seconds=8))

    assert (result.state, result.limit) == ("done", "")  # ~1 s: the stream is parsed once, not 50 times


def test_a_pdf_of_many_distinct_slow_pages_stops_at_the_time_limit_and_keeps_what_it_read():
    data = files.pdf(["Page one text"]) + b""  # a readable first page ...
    slow = files.pdf_distinct_streams_bomb(pages=40, stream_bytes=MiB)  # ... and ~45 s of parsing

    assert extract_isolated(data, PDF, Limits(seconds=2)).text == "Page one text"
    result = extract_isolated(slow, PDF, Limits(seconds=2, unpacked_bytes=1024 * MiB))
    assert (result.state, result.limit) == ("truncated", "time")


def test_pdf_content_counts_against_the_decompressed_bytes():
    data = files.pdf_distinct_streams_bomb(pages=10, stream_bytes=64 * 1024)

    result = extract(data, PDF, Limits(unpacked_bytes=256 * 1024))

    assert (result.state, result.limit) == ("truncated", "bytes")


def test_it_stops_at_the_page_limit():
    data = files.pdf([f"Page {n}" for n in range(1, 21)])

    result = extract(data, PDF, Limits(pages=5))

    assert (result.state, result.limit) == ("truncated", "pages")
    assert result.text.split("\n") == ["Page 1", "Page 2", "Page 3", "Page 4", "Page 5"]


def test_a_docx_inflating_far_beyond_its_size_is_read_up_to_the_byte_limit():
    # The 1.3 MB DOCX inflated to 1 GB; here 32 MiB, read to 2 MiB. Nothing is loaded whole.
    data = files.docx_inflating(32 * MiB)
    assert len(data) < 100_000

    result = extract_isolated(data, DOCX, Limits(unpacked_bytes=2 * MiB, memory_bytes=512 * MiB))

    assert (result.state, result.limit) == ("truncated", "bytes")
    assert result.text == "开头可见文字"


def test_visible_text_stops_at_the_character_limit():
    data = files.docx_inflating(256 * 1024, paragraph="<w:p><w:r><w:t>重复文字</w:t></w:r></w:p>".encode())

    result = extract(data, DOCX, Limits(chars=1000))

    assert (result.state, result.limit) == ("truncated", "chars")
    assert len(result.text) <= 1000 and result.text.startswith("开头可见文字\n重复文字")


def test_a_file_needing_more_memory_than_allowed_is_cut_in_the_worker_not_the_caller():
    # One content stream inflating to 384 MiB, all of it decoded at once by pypdf.
    body = b"0 0 m\n" * (384 * MiB // 6)
    data = _pdf_with_stream(zlib.compress(body, 1))
    del body

    result = extract_isolated(data, PDF, Limits(unpacked_bytes=1024 * MiB, memory_bytes=256 * MiB))

    assert (result.state, result.limit) == ("truncated", "memory")


def _pdf_with_stream(packed: bytes) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)

"""Decoding: BOM, header and meta declarations, undeclared legacy Arabic code pages."""

from __future__ import annotations

import codecs

import pytest

from crawler.parsers.encoding import decode_body

ARABIC = "<html><body><p>وزارة الاتصالات وتكنولوجيا المعلومات تطلق منصة رقمية جديدة</p></body></html>"
FRENCH = "<html><body><p>Le ministère a annoncé une stratégie numérique élaborée à Alger.</p></body></html>"


@pytest.mark.parametrize(
    ("body", "content_type", "encoding", "evidence"),
    [
        (codecs.BOM_UTF8 + ARABIC.encode("utf-8"), "text/html; charset=windows-1256", "utf-8", "bom"),
        (ARABIC.encode("cp1256"), "text/html; charset=windows-1256", "cp1256", "header"),
        (b'<meta charset="windows-1256">' + ARABIC.encode("cp1256"), "text/html", "cp1256", "meta"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-6">' + ARABIC.encode("iso-8859-6"),
         "text/html", "iso8859-6", "meta"),
        (b'<?xml version="1.0" encoding="windows-1256"?>' + ARABIC.encode("cp1256"), "", "cp1256", "meta"),
        (ARABIC.encode("utf-8"), "text/html", "utf-8", "sniffed"),
        (ARABIC.encode("cp1256"), "text/html", "cp1256", "sniffed"),
        (ARABIC.encode("iso-8859-6"), "", "iso8859-6", "sniffed"),
        (ARABIC.encode("cp1256"), "text/html; charset=iso-8859-1", "cp1256", "sniffed"),
        (FRENCH.encode("latin-1"), "text/html; charset=iso-8859-1", "iso8859-1", "header"),
    ],
    ids=["bom-beats-header", "header", "meta", "meta-http-equiv", "xml-declaration", "utf8", "cp1256", "iso-8859-6",
         "mislabelled-latin1", "real-latin1"],
)
def test_decode_body(body: bytes, content_type: str, encoding: str, evidence: str) -> None:
    decoded = decode_body(body, content_type)
    assert (decoded.encoding, decoded.evidence) == (encoding, evidence)
    if "charset=iso-8859-1" in content_type and evidence == "header":
        assert "ministère" in decoded.text
    else:
        assert "وزارة الاتصالات" in decoded.text


def test_wrong_declaration_falls_back_to_bytes() -> None:
    decoded = decode_body(ARABIC.encode("cp1256"), "text/html; charset=utf-8")
    assert decoded.encoding == "cp1256"
    assert "وزارة الاتصالات" in decoded.text

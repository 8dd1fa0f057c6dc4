"""Reading untrusted XML: no entities, no DTDs, no network; strictly first, then recovering."""

from __future__ import annotations

import zlib

from lxml import etree

from crawler.discovery.listed import DiscoveryError

GZIP_MAGIC = b"\x1f\x8b"


def _parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(recover=recover, resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def read_xml(body: bytes, what: str) -> tuple[etree._Element, str | None]:
    """The root element and, when the XML is not well-formed but lxml recovered a tree, the
    problem (line and message). Raises :class:`DiscoveryError` when nothing can be read."""
    try:
        return etree.fromstring(body, parser=_parser(False)), None
    except etree.XMLSyntaxError as exc:
        problem = f"invalid {what} XML: {exc}"
    try:
        root = etree.fromstring(body, parser=_parser(True))
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        raise DiscoveryError(problem)
    return root, problem


def gunzip(body: bytes, max_size: int) -> bytes:
    """Decompress a gzip file, refusing to grow past ``max_size`` bytes (a gzip bomb)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    chunk = body
    try:
        while chunk:
            out += inflater.decompress(chunk, max_size + 1 - len(out))
            if len(out) > max_size:
                raise DiscoveryError(f"gzip file grows past {max_size} bytes when decompressed")
            chunk = inflater.unconsumed_tail
    except zlib.error as exc:
        raise DiscoveryError(f"broken gzip file: {exc}") from None
    return bytes(out)


def localname(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def child_text(element: etree._Element, name: str) -> str | None:
    """Text of the first descendant named ``name`` in any namespace."""
    for node in element.iter(f"{{*}}{name}"):
        if node.text and node.text.strip():
            return str(node.text).strip()
    return None

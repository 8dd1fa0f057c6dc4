"""URL canonicalisation: one address per article, whatever link led to it.

:func:`canonicalize_url` gives the address Marsad fetches and stores: scheme and host lower-case,
IDN hosts in punycode, default ports, fragments and tracking parameters dropped, percent-encoding
normalised (RFC 3986 §6.2.2: Arabic slugs typed raw or escaped in either case become one form).
Query parameters keep their order, so a server sees the same request it linked to.

:func:`article_key` goes further, for recognising one article behind its variants: AMP markers
(``/amp/``, ``?amp=1``, ``amp.`` hosts) and mobile/``www`` host prefixes are dropped. It is a key
to compare with, never an address to fetch.
"""

from __future__ import annotations

import re
from contextlib import suppress
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import tldextract
from w3lib.url import safe_url_string

# Query parameters that only track where a click came from; they never select content.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "twclid", "ttclid",
        "mc_cid", "mc_eid", "ref", "ref_src", "_ga", "_gl", "_hsenc", "_hsmi", "ocid", "cmpid", "spm",
        "xtor", "ito", "ns_source", "ns_campaign", "ns_mchannel", "sr_share", "share", "fb_action_ids",
        "fb_source", "vero_id", "oly_enc_id", "oly_anon_id", "rb_clickid", "s_cid", "__twitter_impression",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "ga_", "hsa_", "itm_")
AMP_PARAMS = {"amp": {"", "1", "true"}, "outputtype": {"amp"}, "_amp": {"true", "1"}}
VARIANT_HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.", "mob.")
DEFAULT_PORTS = {"http": 80, "https": 443}
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_AMP_SUFFIX = re.compile(r"\.amp(?=\.html?$|$)", re.IGNORECASE)
# The registered domain (eTLD+1) from the Public Suffix List snapshot bundled with tldextract: never
# fetched over the network, private suffixes (blogspot.com, github.io) count as suffixes.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def normalise_escapes(part: str) -> str:
    """Percent-escapes in one case (upper), and none for unreserved characters (``%41`` → ``A``)."""
    def fix(match: re.Match[str]) -> str:
        byte = int(match.group(1), 16)
        return chr(byte) if byte in _UNRESERVED else "%" + match.group(1).upper()

    return _ESCAPE.sub(fix, part)


def canonicalize_url(url: str) -> str:
    """The one address of ``url``: see the module docstring. Idempotent."""
    parts = urlsplit(safe_url_string(url.strip()))
    scheme = parts.scheme.lower() or "http"
    host = (parts.hostname or "").lower().rstrip(".")
    port = _port(parts.netloc)
    if port and port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode([(key, value) for key, value in pairs if not is_tracking_param(key)])
    path = normalise_escapes(parts.path) or "/"
    return urlunsplit((scheme, host, path, query, ""))


def article_key(url: str) -> str:
    """What identifies the article behind ``url`` across its AMP and mobile variants."""
    parts = urlsplit(canonicalize_url(url))
    host = parts.netloc
    for prefix in VARIANT_HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix):]
            break
    path = _AMP_SUFFIX.sub("", _without_amp_segment(parts.path)) or "/"
    query = urlencode([(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
                       if value.lower() not in AMP_PARAMS.get(key.lower(), ())])
    return urlunsplit(("http", host, path, query, ""))


def _without_amp_segment(path: str) -> str:
    """``/news/1/amp/`` → ``/news/1/``, ``/amp/news/1`` → ``/news/1`` (an ``amp`` segment at either end)."""
    segments = path.split("/")
    named = [index for index, segment in enumerate(segments) if segment]
    if len(named) > 1:
        for index in (named[-1], named[0]):
            if segments[index].lower() == "amp":
                del segments[index]
                break
    return "/".join(segments)


def readable_url(url: str) -> str:
    """The URL as people write it (an IRI): escapes decoded, a punycode host in its own script."""
    parts = urlsplit(url)
    host = parts.netloc
    if "xn--" in host:
        with suppress(UnicodeError):  # not valid punycode after all: kept as it is
            host = host.encode("ascii").decode("idna")
    return unquote(urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment)))


def host_of(url: str) -> str:
    """The URL's host, lower-case, an internationalised name in its ASCII (punycode) form."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    return ascii_host(host)


def ascii_host(host: str) -> str:
    """``مثال.مصر`` → ``xn--mgbh0fb.xn--wgbh1c``; ASCII hosts as they are."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def origin_of(url: str) -> str:
    """``scheme://host:port`` as written in ``url`` (what robots.txt applies to)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def port_of(url: str) -> int | None:
    """The port ``url`` reaches (the scheme's default when none is written); None if unusable."""
    try:
        parts = urlsplit(url)
        return parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def registered_domain(host: str) -> str:
    """``news.example.co.uk`` → ``example.co.uk``; an IP address or a bare name is its own."""
    extracted = _EXTRACT(host)
    return extracted.top_domain_under_public_suffix or host


def same_site(url: str, other: str) -> bool:
    """Both URLs are on one registered domain (``m.example.com`` and ``www.example.com`` are)."""
    first, second = host_of(url), host_of(other)
    return bool(first) and registered_domain(first) == registered_domain(second)


def _port(netloc: str) -> int | None:
    """The explicit port of ``netloc``; None when there is none or it is not a valid port."""
    try:
        return urlsplit(f"//{netloc}").port
    except ValueError:
        return None

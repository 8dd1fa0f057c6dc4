"""The portal world served over real HTTP on three loopback hosts."""

from __future__ import annotations

import json
import re
import urllib.robotparser
from collections.abc import Iterator
from datetime import datetime
from urllib.error import HTTPError
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.request import Request as UrlRequest
from urllib.request import urlopen

import lxml.html
import pytest
from lxml import etree

from crawler.portalworld import (
    AZERBAIJAN_RE,
    ExpectedArticle,
    PortalWorld,
    render_arabnet,
    render_shamtech,
    render_techwave,
)
from crawler.portalworld.data import WorldData, load_world_data

ARTICLE_XPATHS = {
    "techwave": render_techwave.ARTICLE_XPATH,
    "arabnet": render_arabnet.ARTICLE_XPATH,
    "shamtech": render_shamtech.ARTICLE_XPATH,
}
PORTALS = tuple(ARTICLE_XPATHS)


@pytest.fixture(scope="module")
def world() -> Iterator[PortalWorld]:
    with PortalWorld() as running:
        yield running
    assert running.errors == []


def fetch(url: str) -> tuple[int, str, bytes]:
    """GET ``url``; return status, Content-Type and body, for error statuses too."""
    try:
        with urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except HTTPError as error:
        with error:
            return error.code, error.headers.get("Content-Type", ""), error.read()


def fetch_html(url: str) -> lxml.html.HtmlElement:
    status, _, body = fetch(url)
    assert status == 200, url
    charset = "cp1256" if "127.0.0.3" in url else "utf-8"
    return lxml.html.document_fromstring(body.decode(charset))


def strip_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def expected_of(world: PortalWorld, portal: str) -> list[ExpectedArticle]:
    return [a for a in world.expected_articles() if a["portal"] == portal]


def test_three_portals_run_on_distinct_loopback_hosts(world: PortalWorld) -> None:
    hosts = {name: urlsplit(world.base_urls[name]).hostname for name in PORTALS}
    assert hosts == {"techwave": "127.0.0.1", "arabnet": "127.0.0.2", "shamtech": "127.0.0.3"}
    for name in PORTALS:
        status, _, _ = fetch(world.base_urls[name] + "/")
        assert status == 200


@pytest.mark.parametrize("portal", PORTALS)
def test_robots_txt_has_exactly_one_disallow(world: PortalWorld, portal: str) -> None:
    status, content_type, body = fetch(world.base_urls[portal] + "/robots.txt")
    assert status == 200 and content_type.startswith("text/plain")
    disallows = [line for line in body.decode().splitlines() if line.startswith("Disallow:")]
    assert disallows == ["Disallow: /private/"]
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(body.decode().splitlines())
    assert not robots.can_fetch("marsad", world.private_urls()[portal])
    assert robots.can_fetch("marsad", expected_of(world, portal)[0]["canonical_url"])


@pytest.mark.parametrize(
    ("portal", "path"),
    [
        ("techwave", "/no-such-page/"),
        ("techwave", "/category/nope/"),
        ("arabnet", "/news/1.html"),
        ("arabnet", "/news/?page=99"),
        ("shamtech", "/article.php?id=1"),
        ("shamtech", "/index.php?cat=x"),
    ],
)
def test_unknown_paths_are_real_404s(world: PortalWorld, portal: str, path: str) -> None:
    status, _, body = fetch(world.base_urls[portal] + path)
    assert status == 404
    assert "غير موجودة".encode() in body


def test_feed_is_valid_rss_with_tracking_links(world: PortalWorld) -> None:
    status, content_type, body = fetch(world.base_urls["techwave"] + "/feed/")
    assert status == 200 and "rss+xml" in content_type
    rss = etree.fromstring(body)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    links = rss.xpath("/rss/channel/item/link/text()")
    assert all("utm_source=rss&utm_medium=feed" in link for link in links)
    for date in rss.xpath("/rss/channel/item/pubDate/text()"):
        assert datetime.strptime(date, "%a, %d %b %Y %H:%M:%S %z").tzinfo is not None
    canonical = {strip_query(link) for link in links}
    expected = {a["canonical_url"] for a in expected_of(world, "techwave")}
    assert canonical == expected | {world.private_urls()["techwave"]}


def test_news_sitemap_is_valid_with_publication_dates(world: PortalWorld) -> None:
    status, _, body = fetch(world.base_urls["arabnet"] + "/news-sitemap.xml")
    assert status == 200
    ns = {"s": render_arabnet.SITEMAP_NS, "n": render_arabnet.NEWS_NS}
    root = etree.fromstring(body)
    assert root.tag == f"{{{render_arabnet.SITEMAP_NS}}}urlset"
    locs = root.xpath("//s:url/s:loc/text()", namespaces=ns)
    assert set(locs) == {a["canonical_url"] for a in expected_of(world, "arabnet")}
    dates = root.xpath("//s:url/n:news/n:publication_date/text()", namespaces=ns)
    assert len(dates) == len(locs)
    assert all(datetime.fromisoformat(d).tzinfo is not None for d in dates)


@pytest.mark.parametrize(("portal", "start"), [("arabnet", "/news/"), ("shamtech", "/index.php?cat=tech")])
def test_listing_pagination_reaches_every_article(world: PortalWorld, portal: str, start: str) -> None:
    url: str | None = world.base_urls[portal] + start
    pattern = re.compile(world.sources_config()["sources"][PORTALS.index(portal)]["article_pattern"])
    found: set[str] = set()
    pages = 0
    while url is not None:
        pages += 1
        page = fetch_html(url)
        found |= {urljoin(url, h) for h in page.xpath("//a/@href") if pattern.match(urljoin(url, h))}
        nxt = [a.get("href") for a in page.xpath("//a") if "التالي" in a.text_content()]
        url = urljoin(url, nxt[0]) if nxt else None
    assert 2 <= pages <= 5
    assert found == {a["canonical_url"] for a in expected_of(world, portal)} | {world.private_urls()[portal]}


def test_shamtech_bytes_are_windows_1256(world: PortalWorld) -> None:
    article = expected_of(world, "shamtech")[0]
    status, content_type, body = fetch(article["canonical_url"])
    assert status == 200 and content_type == "text/html; charset=windows-1256"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert article["title"].encode("cp1256") in body
    assert b'content="text/html; charset=windows-1256"' in body


def test_one_shamtech_page_declares_its_charset_only_in_meta(world: PortalWorld) -> None:
    url = world.base_urls["shamtech"] + render_shamtech.META_ONLY_CHARSET_PATH
    status, content_type, body = fetch(url)
    assert status == 200 and content_type == "text/html"
    assert b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">' in body
    title = next(a["title"] for a in world.expected_articles() if a["canonical_url"] == url)
    assert title in body.decode("cp1256")


@pytest.mark.parametrize("portal", PORTALS)
def test_article_pages_carry_the_ground_truth_text(world: PortalWorld, portal: str) -> None:
    for article in expected_of(world, portal):
        page = fetch_html(article["canonical_url"])
        container = page.xpath(ARTICLE_XPATHS[portal])
        assert len(container) == 1, article["id"]
        text = container[0].text_content()
        assert article["title"] in text
        assert article["author"] in text
        for paragraph in article["paragraphs"]:
            assert paragraph in text, (article["id"], paragraph[:30])


def test_techwave_has_json_ld_open_graph_and_canonical(world: PortalWorld) -> None:
    for article in expected_of(world, "techwave"):
        page = fetch_html(article["canonical_url"] + "?utm_source=rss&utm_medium=feed")
        (script,) = page.xpath("//script[@type='application/ld+json']/text()")
        data = json.loads(script)
        assert data["@type"] == "NewsArticle" and data["headline"] == article["title"]
        assert datetime.fromisoformat(data["datePublished"]) == article["published"]
        assert data["datePublished"].endswith("+03:00")
        assert data["author"] == {"@type": "Person", "name": article["author"]}
        assert page.xpath("//link[@rel='canonical']/@href") == [article["canonical_url"]]
        assert page.xpath("//meta[@property='og:title']/@content") == [article["title"]]
        assert page.xpath("//meta[@property='article:section']/@content") == [article["section"]]


def test_arabnet_and_shamtech_have_no_json_ld_but_visible_dates(world: PortalWorld) -> None:
    by_id = {a["id"]: a for a in world.expected_articles()}
    for article_id, visible in [
        ("an-01", "الاثنين، 23 نوفمبر 2026 - 11:40 ص"),
        ("an-10", "السبت، 21 نوفمبر 2026 - 9:05 م"),
        ("st-01", "3 تشرين الثاني 2026 - الساعة 14:30"),
        ("st-02", "5 تشرين الثاني 2026"),
    ]:
        page = fetch_html(by_id[article_id]["canonical_url"])
        assert not page.xpath("//script[@type='application/ld+json']")
        assert visible in page.text_content()
    st02 = fetch_html(by_id["st-02"]["canonical_url"]).text_content()
    assert "الساعة" not in st02
    assert f"© {render_shamtech.COPYRIGHT_YEAR}" in st02


def test_boilerplate_never_mentions_azerbaijan(world: PortalWorld) -> None:
    for article in world.expected_articles():
        page = fetch_html(article["canonical_url"])
        if not article["mentions_azerbaijan"]:
            assert not AZERBAIJAN_RE.search(page.body.text_content()), article["id"]
        for element in [*page.xpath("//head"), *page.xpath(ARTICLE_XPATHS[article["portal"]])]:
            element.drop_tree()
        assert not AZERBAIJAN_RE.search(page.text_content()), article["id"]


def test_pages_link_to_offsite_and_disallowed_urls(world: PortalWorld) -> None:
    offsite = world.offsite_url
    for portal in PORTALS:
        article_url = expected_of(world, portal)[0]["canonical_url"]
        hrefs = [urljoin(article_url, h) for h in fetch_html(article_url).xpath("//a/@href")]
        assert any(h.startswith(offsite + "/") for h in hrefs), portal
    _, _, feed = fetch(world.base_urls["techwave"] + "/feed/")
    assert world.private_urls()["techwave"].encode() in feed
    for portal, listing in [("arabnet", "/news/"), ("shamtech", "/index.php?cat=tech")]:
        url = world.base_urls[portal] + listing
        listed = {urljoin(url, h) for h in fetch_html(url).xpath("//a/@href")}
        assert world.private_urls()[portal] in listed


def test_sources_config_patterns_match_articles_only_on_their_host(world: PortalWorld) -> None:
    sources = world.sources_config()["sources"]
    assert [s["name"] for s in sources] == list(PORTALS)
    for source in sources:
        assert set(source) == {
            "name",
            "enabled",
            "domains",
            "timezone",
            "language",
            "feeds",
            "sitemaps",
            "listings",
            "article_pattern",
            "max_age_days",
        }
        pattern = re.compile(source["article_pattern"])
        for article in expected_of(world, source["name"]):
            assert pattern.fullmatch(article["canonical_url"])
            offsite = article["canonical_url"].replace(world.base_urls[source["name"]], world.offsite_url)
            assert not pattern.fullmatch(offsite)
        assert pattern.fullmatch(world.private_urls()[source["name"]])
        assert not pattern.fullmatch(world.base_urls[source["name"]] + "/")


def test_request_log_records_portal_and_path(world: PortalWorld) -> None:
    fetch(world.base_urls["shamtech"] + "/article.php?id=1050")
    fetch(world.base_urls["arabnet"] + "/news/?page=2")
    assert ("shamtech", "/article.php?id=1050") in world.requests
    assert "/news/?page=2" in world.fetched("arabnet")
    record = world.request_log[-1]
    assert record.host == urlsplit(world.base_urls["arabnet"]).netloc and record.status == 200
    assert world.base_urls["arabnet"] + "/news/?page=2" in world.requested_urls()


def test_world_classifies_disallowed_and_offsite_urls(world: PortalWorld) -> None:
    for portal, url in world.private_urls().items():
        assert world.is_disallowed(url) and not world.is_offsite(url), portal
    article = world.expected_articles()[0]["canonical_url"]
    assert not world.is_disallowed(article) and not world.is_offsite(article)
    assert world.is_offsite(world.offsite_url + "/2026/11/22/partner-story/")
    fetch(world.offsite_url + "/anything")
    assert ("offsite", "/anything") in world.requests


def test_images_are_served(world: PortalWorld) -> None:
    article = expected_of(world, "techwave")[0]
    status, content_type, body = fetch(article["image"])
    assert status == 200 and content_type == "image/gif" and body.startswith(b"GIF89a")


def test_world_requires_start_for_urls() -> None:
    idle = PortalWorld()
    with pytest.raises(RuntimeError, match="not running"):
        idle.expected_articles()


def test_ground_truth_has_enough_articles_with_aware_dates(world: PortalWorld) -> None:
    articles = world.expected_articles()
    counts = {portal: len(expected_of(world, portal)) for portal in PORTALS}
    assert len(articles) >= 30 and min(counts.values()) >= 10
    assert len({a["canonical_url"] for a in articles}) == len(articles)
    for article in articles:
        assert article["published"].tzinfo is not None
        assert datetime(2026, 11, 1).date() <= article["published"].date() <= datetime(2026, 11, 24).date()
        assert article["body"] == "\n\n".join(article["paragraphs"])
        assert 4 <= len(article["paragraphs"]) <= 9
        assert "?" not in article["canonical_url"] or article["portal"] == "shamtech"


def test_azerbaijan_mentions_use_many_surface_forms(world: PortalWorld) -> None:
    mentioning = [a for a in world.expected_articles() if a["mentions_azerbaijan"]]
    clean = [a for a in world.expected_articles() if not a["mentions_azerbaijan"]]
    assert len(mentioning) >= 5 and len(clean) >= 15
    assert {a["portal"] for a in mentioning} == set(PORTALS)
    forms: set[str] = set()
    for article in mentioning:
        forms |= set(AZERBAIJAN_RE.findall(article["title"] + "\n" + article["body"]))
    assert {"أذربيجان", "بأذربيجان", "لأذربيجان", "وأذربيجان", "الأذربيجاني", "الأذربيجانية", "اذربيجان"} <= forms
    for article in clean:
        assert not AZERBAIJAN_RE.search(article["title"] + "\n" + article["body"]), article["id"]


def test_syndicated_story_appears_on_two_portals(world: PortalWorld) -> None:
    groups: dict[str, list[ExpectedArticle]] = {}
    for article in world.expected_articles():
        if article["syndicated_group"]:
            groups.setdefault(article["syndicated_group"], []).append(article)
    assert groups
    for copies in groups.values():
        assert sorted(a["portal"] for a in copies) == ["arabnet", "techwave"]
        first, second = copies
        assert first["body"] == second["body"]
        assert first["canonical_url"] != second["canonical_url"]
        assert first["title"] != second["title"]


def conditional_fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urlopen(UrlRequest(url, headers=headers), timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def test_discovery_pages_answer_conditional_requests(world: PortalWorld) -> None:
    feed = world.base_urls["techwave"] + "/feed/"
    status, headers, _ = conditional_fetch(feed)
    assert status == 200 and headers["ETag"] and headers["Last-Modified"].endswith("GMT")
    assert conditional_fetch(feed, **{"If-None-Match": headers["ETag"]})[:3:2] == (304, b"")
    assert conditional_fetch(feed, **{"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert conditional_fetch(feed, **{"If-None-Match": '"other"'})[0] == 200
    assert conditional_fetch(feed, **{"If-Modified-Since": "Sun, 01 Nov 2026 00:00:00 GMT"})[0] == 200


def test_new_data_is_served_on_the_same_addresses() -> None:
    full = load_world_data()
    with PortalWorld(WorldData(full.portals, full.articles[1:], full.private_pages)) as world:
        feed = world.base_urls["techwave"] + "/feed/"
        _, before, _ = conditional_fetch(feed)
        world.set_data(full)
        status, after, body = conditional_fetch(feed, **{"If-None-Match": before["ETag"]})
        assert status == 200 and after["ETag"] != before["ETag"]
        assert full.articles[0].path.encode() in body

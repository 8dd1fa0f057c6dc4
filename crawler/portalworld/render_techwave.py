"""Portal A, "techwave": a WordPress-like site with JSON-LD, OpenGraph, an RSS feed and categories."""

from __future__ import annotations

from email.utils import format_datetime as rfc822
from string import Template
from urllib.parse import quote

from lxml import etree

from crawler.portalworld.common import (
    Context,
    PortalBase,
    Response,
    arabic_day_month_year,
    clean_picks,
    comments_for,
    esc,
    html_page,
    json_ld,
    last_modified,
    not_found,
    pixel,
    robots_txt,
)
from crawler.portalworld.data import ArticleRecord, WorldData

# XPath of the element that holds the article itself (title, meta, body, tags); everything else
# on an article page is boilerplate.
ARTICLE_XPATH = "//article[contains(@class, 'type-post')]"
TRACKING_QUERY = "utm_source=rss&utm_medium=feed"
DC_NS = "http://purl.org/dc/elements/1.1/"
ATOM_NS = "http://www.w3.org/2005/Atom"

_PAGE = Template("""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<meta name="generator" content="WordPress 6.6.2">
<link rel="alternate" type="application/rss+xml" title="$site &raquo; الخلاصة" href="$base/feed/">
$head
</head>
<body class="$body_class">
<div class="top-bar"><div class="container">
 <ul class="top-links"><li><a href="/about/">من نحن</a></li><li><a href="/contact/">اتصل بنا</a></li>
 <li><a href="/advertise/">أعلن معنا</a></li></ul>
 <div class="social-icons">تابعونا على: <a href="https://twitter.com/techwave">تويتر</a>
 <a href="https://facebook.com/techwave">فيسبوك</a> <a href="https://youtube.com/techwave">يوتيوب</a></div>
</div></div>
<header id="masthead" class="site-header"><div class="site-branding">
 <p class="site-title"><a href="/" rel="home">$site</a></p><p class="site-description">$tagline</p></div>
 <nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
 <li class="menu-item"><a href="/">الرئيسية</a></li>$menu</ul></nav>
</header>
<div class="breaking-news"><span class="breaking-title">عاجل</span><ul class="ticker">$ticker</ul></div>
<div id="content" class="site-content container">
<main id="main" class="site-main">
$main
</main>
<aside id="secondary" class="widget-area">
 <section class="widget widget_search"><form role="search" action="/"><input type="search" name="s"
  placeholder="ابحث هنا..."><button type="submit">بحث</button></form></section>
 <section class="widget widget_popular"><h2 class="widget-title">الأكثر قراءة</h2><ol>$most_read</ol></section>
 <section class="widget widget_newsletter"><h2 class="widget-title">سجل في قائمتنا البريدية</h2>
  <p>احصل على أهم أخبار الاتصالات والتقنية في بريدك كل صباح.</p>
  <form action="/newsletter/" method="post"><input type="email" name="email" placeholder="بريدك الإلكتروني">
  <button type="submit">اشترك الآن</button></form></section>
 <section class="widget widget_social"><h2 class="widget-title">تابعونا على</h2>
  <ul><li><a href="https://twitter.com/techwave">تويتر</a></li><li><a href="https://linkedin.com/company/techwave">لينكدإن</a></li>
  <li><a href="https://t.me/techwave">تيليجرام</a></li></ul></section>
</aside>
</div>
<footer id="colophon" class="site-footer"><div class="footer-widgets">
 <div class="footer-col"><h3>أقسام الموقع</h3><ul>$menu</ul></div>
 <div class="footer-col"><h3>شركاؤنا</h3>
  <ul><li><a href="$offsite/2026/11/22/partner-story/">شبكة شركاء تك ويف</a></li></ul></div>
 </div><div class="site-info">جميع الحقوق محفوظة &copy; 2026 $site. يمنع نسخ المحتوى دون إذن.</div>
</footer>
</body>
</html>
""")

_ARTICLE = Template("""<div class="breadcrumbs" itemscope><a href="/">الرئيسية</a> &raquo;
 <a href="$cat_url">$section</a></div>
<article id="post-$post_id" class="post-$post_id post type-post status-publish format-standard has-post-thumbnail">
 <header class="entry-header">
  <span class="cat-links"><a href="$cat_url" rel="category tag">$section</a></span>
  <h1 class="entry-title">$title</h1>
  <div class="entry-meta"><span class="byline">بواسطة <span class="author vcard"><a class="url fn n"
   href="/author/$author_slug/">$author</a></span></span> <span class="posted-on"><time
   class="entry-date published" datetime="$published_iso">$published_text</time>$updated</span>
   <a class="comments-link" href="$canonical#comments">$comment_count تعليقات</a></div>
 </header>
 <figure class="post-thumbnail"><img src="$image" alt="$title" width="1200" height="675"></figure>
 <div class="entry-content">
$body
 </div>
 <footer class="entry-footer"><span class="tags-links">الوسوم: $tags</span>
  <div class="share-buttons">شارك: <a href="https://twitter.com/intent/tweet?url=$canonical_q">تويتر</a>
  <a href="https://www.facebook.com/sharer.php?u=$canonical_q">فيسبوك</a>
  <a href="https://wa.me/?text=$canonical_q">واتساب</a></div></footer>
</article>
<section class="related-posts"><h3 class="related-title">مقالات ذات صلة</h3><ul>$related</ul></section>
<div id="comments" class="comments-area"><h2 class="comments-title">$comment_count تعليقات</h2>
 <ol class="comment-list">$comments</ol>
 <div id="respond" class="comment-respond"><h3>أضف تعليقاً</h3><form action="/wp-comments-post.php" method="post">
  <textarea name="comment" placeholder="اكتب تعليقك هنا"></textarea><input name="author" placeholder="الاسم">
  <button type="submit">إرسال التعليق</button></form></div>
</div>""")


class TechwavePortal(PortalBase):
    name = "techwave"

    def __init__(self, data: WorldData) -> None:
        super().__init__(data)
        self._post_ids = {a.id: 4100 + i for i, a in enumerate(sorted(self.articles, key=lambda r: r.published))}
        self._post_ids[self.private.id] = 4099

    def handle(self, path: str, query: dict[str, list[str]], ctx: Context) -> Response:
        if path == "/robots.txt":
            return robots_txt()
        if path == "/feed/":
            return Response(200, self.feed(ctx), "application/rss+xml; charset=UTF-8",
                            last_modified([*self.articles, self.private]))
        if path == "/":
            return html_page(self._page(ctx, "تك ويف | الرئيسية", "home", "", self._listing(self.articles)))
        if path in self._images:
            return pixel()
        if path.startswith("/category/"):
            return self._category(path, ctx)
        record = self._by_path.get(path)
        if record is None:
            return not_found(self.spec.site_name)
        return html_page(self.article_page(record, ctx))

    # -- pages ---------------------------------------------------------------------------------
    def _page(self, ctx: Context, title: str, body_class: str, head: str, main: str, current: str = "") -> str:
        menu = "".join(
            f'<li class="menu-item"><a href="/category/{esc(slug)}/">{esc(name)}</a></li>'
            for name, slug in self.spec.sections.items()
        )
        ticker = "".join(
            f'<li><a href="{esc(r.path)}">{esc(r.title)}</a></li>' for r in clean_picks(self.articles, current, 4)
        )
        most_read = "".join(
            f'<li><a href="{esc(r.path)}">{esc(r.title)}</a></li>'
            for r in clean_picks(self.articles, current, 5, offset=3)
        )
        return _PAGE.substitute(
            title=esc(title),
            site=esc(self.spec.site_name),
            tagline=esc(self.spec.tagline),
            base=esc(ctx.base_url),
            head=head,
            body_class=esc(body_class),
            menu=menu,
            ticker=ticker,
            main=main,
            most_read=most_read,
            offsite=esc(ctx.offsite_url),
        )

    def _listing(self, records: list[ArticleRecord]) -> str:
        items = [
            f'<article class="post type-post-excerpt"><h2 class="entry-title">'
            f'<a href="{esc(r.path)}">{esc(r.title)}</a>'
            f'</h2><time datetime="{esc(r.published.isoformat())}">{esc(arabic_day_month_year(r.published, "ar_SA"))}'
            f"</time><p>{esc(r.excerpt)}</p></article>"
            for r in records
        ]
        return '<div class="posts-list">' + "\n".join(items) + "</div>"

    def _category(self, path: str, ctx: Context) -> Response:
        slugs = {slug: name for name, slug in self.spec.sections.items()}
        slug = path.removeprefix("/category/").rstrip("/")
        if slug not in slugs or path != f"/category/{slug}/":
            return not_found(self.spec.site_name)
        section = slugs[slug]
        records = [r for r in self.articles if r.section == section]
        main = f'<h1 class="page-title">{esc(section)}</h1>' + self._listing(records)
        head = f'<link rel="canonical" href="{esc(ctx.base_url + path)}">'
        return html_page(self._page(ctx, f"{section} | {self.spec.site_name}", "archive category", head, main))

    def article_page(self, record: ArticleRecord, ctx: Context) -> str:
        canonical = ctx.base_url + record.path
        cat_slug = self.spec.sections.get(record.section, "news")
        main = _ARTICLE.substitute(
            post_id=self._post_ids[record.id],
            cat_url=f"/category/{esc(cat_slug)}/",
            section=esc(record.section),
            title=esc(record.title),
            author=esc(record.author),
            author_slug=f"editor-{len(record.author)}",
            published_iso=esc(record.published.isoformat()),
            published_text=esc(arabic_day_month_year(record.published, "ar_SA")),
            updated=self._updated(record),
            canonical=esc(canonical),
            canonical_q=esc(quote(canonical, safe="")),
            image=esc(ctx.base_url + record.image),
            body=self._body(record),
            tags=" ".join(f'<a href="/tag/{i}/" rel="tag">{esc(t)}</a>' for i, t in enumerate(record.tags)),
            related="".join(
                f'<li><a href="{esc(ctx.base_url + r.path)}">{esc(r.title)}</a></li>'
                for r in clean_picks(self.articles, record.id, 3, offset=1)
            ),
            comment_count=2,
            comments=self._comments(record),
        )
        head = self._head(record, canonical, ctx)
        return self._page(ctx, f"{record.title} – {self.spec.site_name}", "single single-post", head, main, record.id)

    def _updated(self, record: ArticleRecord) -> str:
        if record.modified is None:
            return ""
        return (
            f' <time class="updated" datetime="{esc(record.modified.isoformat())}">'
            f"{esc(arabic_day_month_year(record.modified, 'ar_SA'))}</time>"
        )

    def _body(self, record: ArticleRecord) -> str:
        parts: list[str] = []
        also = clean_picks(self.articles, record.id, 1, offset=len(record.id) + record.published.day)
        for index, block in enumerate(record.blocks):
            tag = "h2" if block.kind == "h" else "p"
            parts.append(f"<{tag}>{esc(block.text)}</{tag}>")
            if index == 1 and also:
                parts.append(
                    f'<div class="read-also"><strong>اقرأ أيضاً:</strong> '
                    f'<a href="{esc(also[0].path)}">{esc(also[0].title)}</a></div>'
                )
        return "\n".join(parts)

    def _comments(self, record: ArticleRecord) -> str:
        return "".join(
            f'<li class="comment"><div class="comment-author vcard"><b class="fn">{esc(name)}</b></div>'
            f'<div class="comment-content"><p>{esc(text)}</p></div></li>'
            for name, text in comments_for(record, 2)
        )

    def _head(self, record: ArticleRecord, canonical: str, ctx: Context) -> str:
        image = ctx.base_url + record.image
        modified = record.modified or record.published
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
            "headline": record.title,
            "datePublished": record.published.isoformat(),
            "dateModified": modified.isoformat(),
            "author": {"@type": "Person", "name": record.author},
            "publisher": {"@type": "Organization", "name": self.spec.site_name},
            "image": [image],
            "articleSection": record.section,
            "keywords": ", ".join(record.tags),
            "inLanguage": "ar",
        }
        meta = [
            f'<meta name="description" content="{esc(record.excerpt)}">',
            f'<link rel="canonical" href="{esc(canonical)}">',
            '<meta property="og:locale" content="ar_AR">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:title" content="{esc(record.title)}">',
            f'<meta property="og:description" content="{esc(record.excerpt)}">',
            f'<meta property="og:url" content="{esc(canonical)}">',
            f'<meta property="og:site_name" content="{esc(self.spec.site_name)}">',
            f'<meta property="og:image" content="{esc(image)}">',
            f'<meta property="article:published_time" content="{esc(record.published.isoformat())}">',
            f'<meta property="article:modified_time" content="{esc(modified.isoformat())}">',
            f'<meta property="article:section" content="{esc(record.section)}">',
            *(f'<meta property="article:tag" content="{esc(tag)}">' for tag in record.tags),
            '<meta name="twitter:card" content="summary_large_image">',
            f'<script type="application/ld+json">{json_ld(data)}</script>',
        ]
        return "\n".join(meta)

    # -- feed ----------------------------------------------------------------------------------
    def feed(self, ctx: Context) -> bytes:
        """RSS 2.0; item links carry tracking parameters, and one item points under /private/."""
        rss = etree.Element("rss", version="2.0", nsmap={"dc": DC_NS, "atom": ATOM_NS})
        channel = etree.SubElement(rss, "channel")
        etree.SubElement(channel, "title").text = self.spec.site_name
        etree.SubElement(
            channel, f"{{{ATOM_NS}}}link", href=f"{ctx.base_url}/feed/", rel="self", type="application/rss+xml"
        )
        etree.SubElement(channel, "link").text = ctx.base_url + "/"
        etree.SubElement(channel, "description").text = self.spec.tagline
        etree.SubElement(channel, "language").text = "ar"
        etree.SubElement(channel, "lastBuildDate").text = rfc822(self.articles[0].published)
        records = sorted([*self.articles, self.private], key=lambda r: r.published, reverse=True)
        for record in records:
            item = etree.SubElement(channel, "item")
            link = f"{ctx.base_url}{record.path}?{TRACKING_QUERY}"
            etree.SubElement(item, "title").text = record.title
            etree.SubElement(item, "link").text = link
            etree.SubElement(item, "comments").text = f"{ctx.base_url}{record.path}#respond"
            etree.SubElement(item, f"{{{DC_NS}}}creator").text = record.author
            etree.SubElement(item, "pubDate").text = rfc822(record.published)
            etree.SubElement(item, "category").text = record.section
            for tag in record.tags:
                etree.SubElement(item, "category").text = tag
            guid = etree.SubElement(item, "guid", isPermaLink="false")
            guid.text = f"{ctx.base_url}/?p={self._post_ids[record.id]}"
            etree.SubElement(item, "description").text = record.excerpt
        return bytes(etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True))

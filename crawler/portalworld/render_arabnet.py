"""Portal B, "arabnet": Egyptian-style news site with a Google News sitemap and paginated listings.

No JSON-LD; only og:title and description meta. The date is visible only, in Cairo local time:
«الاثنين، 23 نوفمبر 2026 - 10:15 ص».
"""

from __future__ import annotations

from string import Template

from lxml import etree

from crawler.portalworld.common import (
    Context,
    PortalBase,
    Response,
    arabic_clock_12h,
    arabic_day_month_year,
    arabic_weekday,
    clean_picks,
    comments_for,
    esc,
    html_page,
    last_modified,
    local,
    not_found,
    pixel,
    robots_txt,
)
from crawler.portalworld.data import ArticleRecord

ARTICLE_XPATH = "//div[@class='article-wrapper']"
PAGE_SIZE = 4
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"

_MENU = ("الرئيسية", "أخبار", "اتصالات", "شركات ناشئة", "تكنولوجيا مالية", "مراكز البيانات", "حوارات", "فيديو")

_PAGE = Template("""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>$title</title>
$head
</head>
<body>
<div id="header"><div class="logo"><a href="/"><img src="/images/logo.png" alt="$site"></a></div>
 <div class="header-date">القاهرة</div>
 <ul class="main-menu">$menu</ul></div>
<div class="news-ticker"><b>آخر الأخبار:</b> <marquee direction="right">$ticker</marquee></div>
<div id="container"><div class="right-col">
$main
</div>
<div class="left-col">
 <div class="box most-read"><div class="box-title">الأكثر قراءة</div><ul>$most_read</ul></div>
 <div class="box newsletter"><div class="box-title">سجل في قائمتنا البريدية</div>
  <form action="/subscribe" method="post"><input type="text" name="mail" placeholder="البريد الإلكتروني">
  <input type="submit" value="اشترك"></form></div>
 <div class="box social"><div class="box-title">تابعونا على</div><a href="https://facebook.com/arabnet.ict">فيسبوك</a>
  <a href="https://x.com/arabnet_ict">إكس</a> <a href="https://instagram.com/arabnet.ict">إنستجرام</a></div>
</div></div>
<div id="footer"><ul class="footer-links"><li><a href="/about.html">عن الموقع</a></li>
 <li><a href="/privacy.html">سياسة الخصوصية</a></li><li><a href="/contact.html">اتصل بنا</a></li>
 <li><a href="$offsite/news/99999.html">مواقع شقيقة</a></li></ul>
 <p>&copy; جميع الحقوق محفوظة لموقع $site 2026</p></div>
</body>
</html>
""")

_ARTICLE = Template("""<div class="breadcrumb"><a href="/">الرئيسية</a> &gt; <a href="/news/">أخبار</a> &gt;
 <span>$section</span></div>
<div class="article-wrapper">
 <h1 class="news-title">$title</h1>
 <div class="news-info"><span class="writer">كتب: $author</span>
  <span class="news-date">$date</span>$updated</div>
 <div class="news-image"><img src="$image" alt=""></div>
 <div class="news-body">
$body
 </div>
 <div class="news-tags">$tags</div>
</div>
<div class="share">شارك الخبر: <a href="https://facebook.com/sharer.php">فيسبوك</a> <a href="https://x.com/share">إكس</a></div>
<div class="box related"><div class="box-title">اقرأ أيضاً</div><ul>$related</ul></div>
<div class="comments"><div class="box-title">التعليقات</div>$comments
 <form action="/comment" method="post"><textarea name="body"></textarea>
  <input type="submit" value="أضف تعليقك"></form></div>""")


class ArabnetPortal(PortalBase):
    name = "arabnet"

    @property
    def page_count(self) -> int:
        return -(-len(self.articles) // PAGE_SIZE)

    def handle(self, path: str, query: dict[str, list[str]], ctx: Context) -> Response:
        if path == "/robots.txt":
            return robots_txt(f"{ctx.base_url}/news-sitemap.xml")
        if path == "/news-sitemap.xml":
            return Response(200, self.sitemap(ctx), "application/xml; charset=utf-8", last_modified(self.articles))
        if path == "/":
            main = '<div class="box-title">أحدث الأخبار</div>' + self._items(self.articles[:6])
            main += '<p class="more"><a href="/news/">المزيد من الأخبار</a></p>'
            return html_page(self._page(ctx, self.spec.site_name, "", main))
        if path == "/news/":
            return self._listing(query, ctx)
        if path in self._images:
            return pixel()
        record = self._by_path.get(path)
        if record is None:
            return not_found(self.spec.site_name)
        return html_page(self.article_page(record, ctx))

    def _page(self, ctx: Context, title: str, head: str, main: str, current: str = "") -> str:
        menu = "".join(f'<li><a href="/news/">{esc(item)}</a></li>' for item in _MENU)
        ticker = " &#9670; ".join(
            f'<a href="{esc(r.path)}">{esc(r.title)}</a>' for r in clean_picks(self.articles, current, 4, offset=2)
        )
        most_read = "".join(
            f'<li><a href="{esc(r.path)}">{esc(r.title)}</a></li>' for r in clean_picks(self.articles, current, 5)
        )
        return _PAGE.substitute(
            title=esc(title),
            head=head,
            site=esc(self.spec.site_name),
            menu=menu,
            ticker=ticker,
            main=main,
            most_read=most_read,
            offsite=esc(ctx.offsite_url),
        )

    def visible_date(self, record: ArticleRecord) -> str:
        """«الاثنين، 23 نوفمبر 2026 - 10:15 ص» in the portal's zone (CLDR names, Latin digits)."""
        when = local(record.published, self.spec.timezone)
        day = arabic_weekday(when, "ar_EG")
        return f"{day}، {arabic_day_month_year(when, 'ar_EG')} - {arabic_clock_12h(when)}"

    def _items(self, records: list[ArticleRecord]) -> str:
        rows = [
            f'<div class="news-item"><img src="{esc(r.image)}" alt=""><h3><a href="{esc(r.path)}">{esc(r.title)}'
            f'</a></h3><span class="date">{esc(self.visible_date(r))}</span><p>{esc(r.excerpt)}</p></div>'
            for r in records
        ]
        return "\n".join(rows)

    def _listing(self, query: dict[str, list[str]], ctx: Context) -> Response:
        raw = query.get("page", ["1"])[0]
        if not raw.isdigit() or not 1 <= int(raw) <= self.page_count:
            return not_found(self.spec.site_name)
        page = int(raw)
        records = self.articles[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        items = self._items(records)
        if page == 1:
            items += (
                f'\n<div class="news-item exclusive"><h3><a href="{esc(self.private.path)}">'
                f"{esc(self.private.title)}</a></h3></div>"
            )
        pager = [f'<span class="current">صفحة {page} من {self.page_count}</span>']
        if page > 1:
            pager.insert(0, f'<a class="prev" rel="prev" href="/news/?page={page - 1}">السابق</a>')
        if page < self.page_count:
            pager.append(f'<a class="next" rel="next" href="/news/?page={page + 1}">التالي</a>')
        main = f'<div class="box-title">أخبار</div>\n{items}\n<div class="pagination">{" ".join(pager)}</div>'
        head = f'<link rel="canonical" href="{esc(ctx.base_url)}/news/?page={page}">'
        return html_page(self._page(ctx, f"أخبار - صفحة {page} | {self.spec.site_name}", head, main))

    def article_page(self, record: ArticleRecord, ctx: Context) -> str:
        parts: list[str] = []
        also = clean_picks(self.articles, record.id, 1, offset=record.published.day)
        for index, block in enumerate(record.blocks):
            text = f"<strong>{esc(block.text)}</strong>" if block.kind == "h" else esc(block.text)
            parts.append(f"<p>{text}</p>")
            if index == 1 and also:
                parts.append(
                    f'<p class="read-more-inline"><strong>اقرأ أيضا: </strong>'
                    f'<a href="{esc(also[0].path)}">{esc(also[0].title)}</a></p>'
                )
        updated = ""
        if record.modified is not None:
            when = local(record.modified, self.spec.timezone)
            stamp = f"{arabic_day_month_year(when, 'ar_EG')} - {arabic_clock_12h(when)}"
            updated = f' <span class="update-date">آخر تحديث: {esc(stamp)}</span>'
        main = _ARTICLE.substitute(
            section=esc(record.section),
            title=esc(record.title),
            author=esc(record.author),
            date=esc(self.visible_date(record)),
            updated=updated,
            image=esc(record.image),
            body="\n".join(parts),
            tags=" ".join(f'<a href="/tags/{i}">{esc(t)}</a>' for i, t in enumerate(record.tags)),
            related="".join(
                f'<li><a href="{esc(r.path)}">{esc(r.title)}</a></li>'
                for r in clean_picks(self.articles, record.id, 4, offset=5)
            ),
            comments="".join(
                f'<div class="comment"><b>{esc(name)}</b><p>{esc(text)}</p></div>'
                for name, text in comments_for(record, 3)
            ),
        )
        head = "\n".join(
            [
                f'<meta name="description" content="{esc(record.excerpt)}">',
                f'<meta property="og:title" content="{esc(record.title)}">',
            ]
        )
        return self._page(ctx, f"{record.title} | {self.spec.site_name}", head, main, record.id)

    def sitemap(self, ctx: Context) -> bytes:
        urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "news": NEWS_NS})
        for record in self.articles:
            url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
            etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = ctx.base_url + record.path
            etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = (record.modified or record.published).isoformat()
            news = etree.SubElement(url, f"{{{NEWS_NS}}}news")
            publication = etree.SubElement(news, f"{{{NEWS_NS}}}publication")
            etree.SubElement(publication, f"{{{NEWS_NS}}}name").text = self.spec.site_name
            etree.SubElement(publication, f"{{{NEWS_NS}}}language").text = "ar"
            etree.SubElement(news, f"{{{NEWS_NS}}}publication_date").text = record.published.isoformat()
            etree.SubElement(news, f"{{{NEWS_NS}}}title").text = record.title
        return bytes(etree.tostring(urlset, xml_declaration=True, encoding="UTF-8", pretty_print=True))

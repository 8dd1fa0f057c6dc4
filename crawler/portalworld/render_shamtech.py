"""Portal C, "shamtech": a legacy table-layout PHP portal encoded in windows-1256.

Visible Levantine dates («23 تشرين الثاني 2026», optionally «الساعة 14:30») in Damascus time; no
JSON-LD and minimal meta. One article declares its charset only in ``<meta http-equiv>``, not in the
HTTP header. The footer carries an old copyright year, a trap for date extractors.
"""

from __future__ import annotations

from string import Template

from crawler.portalworld.common import (
    Context,
    PortalBase,
    Response,
    arabic_day_month_year,
    clean_picks,
    comments_for,
    esc,
    local,
    not_found,
    pixel,
    robots_txt,
)
from crawler.portalworld.data import ArticleRecord

ARTICLE_XPATH = "//td[@id='article-cell']"
CHARSET = "windows-1256"
PAGE_SIZE = 6
# The article whose HTTP header says only "text/html": its charset is declared in <meta> alone.
META_ONLY_CHARSET_PATH = "/article.php?id=1047"
COPYRIGHT_YEAR = 2007

_PAGE = Template("""<html dir="rtl">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">
<title>$title</title>
$head
<link rel="stylesheet" type="text/css" href="style.css">
</head>
<body bgcolor="#FFFFFF" topmargin="0">
<table width="980" align="center" border="0" cellpadding="0" cellspacing="0">
<tr><td colspan="3" class="header"><a href="index.php"><img src="images/logo.gif" border="0" alt="$site"></a>
 <font size="2">$tagline</font></td></tr>
<tr><td colspan="3" class="menu"><a href="index.php">الرئيسية</a> | <a href="index.php?cat=tech">أخبار التقانة</a> |
 <a href="index.php?cat=tech">اتصالات</a> | <a href="index.php?cat=tech">برمجيات</a> | <a href="forum/">المنتدى</a> |
 <a href="contact.php">راسلنا</a></td></tr>
<tr><td colspan="3" class="ticker"><b>أخبار عاجلة:</b>
 <marquee direction="right" scrollamount="3">$ticker</marquee></td></tr>
<tr>
<td width="180" valign="top" class="side"><table width="100%"><tr><td class="side-title">الأكثر قراءة</td></tr>
 $most_read
 <tr><td class="side-title">سجل في قائمتنا البريدية</td></tr>
 <tr><td><form action="newsletter.php" method="post"><input type="text" name="email" size="15">
 <input type="submit" value="اشتراك"></form></td></tr>
 <tr><td class="side-title">تابعونا على</td></tr>
 <tr><td><a href="https://www.facebook.com/shamtech">فيسبوك</a><br><a href="https://t.me/shamtech">تلغرام</a></td></tr>
</table></td>
$main
<td width="160" valign="top" class="side"><table width="100%"><tr><td class="side-title">إعلانات</td></tr>
 <tr><td><a href="$offsite/article.php?id=5001">دليل شركات البرمجة</a></td></tr>
 <tr><td class="side-title">عدد الزوار</td></tr><tr><td>1843271</td></tr></table></td>
</tr>
<tr><td colspan="3" class="footer" align="center"><font size="1">جميع الحقوق محفوظة &copy; $copyright $site -
 تصميم وبرمجة قسم الإنترنت</font></td></tr>
</table>
</body>
</html>
""")

_ARTICLE = Template("""<td valign="top" id="article-cell">
<table width="100%" border="0" cellpadding="4">
<tr><td class="path"><a href="index.php">الرئيسية</a> &raquo; <a href="index.php?cat=tech">$section</a></td></tr>
<tr><td class="title"><font size="4" color="#003366"><b>$title</b></font></td></tr>
<tr><td class="info"><font size="2" color="#666666">$date</font> &nbsp; <font size="2">بقلم: $author</font></td></tr>
<tr><td><img src="images/news/$image_name" width="300" align="left" hspace="5"></td></tr>
<tr><td class="text"><font size="3">
$body
</font></td></tr>
</table>
</td>""")

_AFTER_ARTICLE = Template("""<td valign="top" id="after-article"><table width="100%">
<tr><td class="tools"><a href="print.php?id=$id">طباعة</a> | <a href="send.php?id=$id">أرسل لصديق</a> |
 عدد القراءات: $reads</td></tr>
<tr><td class="side-title">أخبار ذات صلة</td></tr>
$related
<tr><td class="side-title">تعليقات الزوار</td></tr>
$comments
</table></td>""")


class ShamtechPortal(PortalBase):
    name = "shamtech"

    def handle(self, path: str, query: dict[str, list[str]], ctx: Context) -> Response:
        if path == "/robots.txt":
            return robots_txt()
        if path in self._images:
            return pixel()
        if path in ("/", "/index.php"):
            return self._index(query, ctx)
        if path in ("/article.php", "/private/article.php"):
            ids = query.get("id", [])
            record = self._by_path.get(f"{path}?id={ids[0]}") if len(ids) == 1 else None
            if record is not None:
                return self._encode(self.article_page(record, ctx), record.path != META_ONLY_CHARSET_PATH)
        return not_found(self.spec.site_name)

    @staticmethod
    def _encode(page: str, header_charset: bool = True) -> Response:
        content_type = f"text/html; charset={CHARSET}" if header_charset else "text/html"
        return Response(200, page.encode("cp1256"), content_type)

    def visible_date(self, record: ArticleRecord) -> str:
        """«23 تشرين الثاني 2026», plus « - الساعة 14:30» unless the time is midnight."""
        when = local(record.published, self.spec.timezone)
        text = arabic_day_month_year(when, "ar_SY")
        if (when.hour, when.minute) != (0, 0):
            text += f" - الساعة {when:%H:%M}"
        return text

    def _page(self, ctx: Context, title: str, head: str, main: str, current: str = "") -> str:
        ticker = " - ".join(
            f'<a href="{esc(r.path.lstrip("/"))}">{esc(r.title)}</a>' for r in clean_picks(self.articles, current, 3)
        )
        most_read = "".join(
            f'<tr><td>&raquo; <a href="{esc(r.path.lstrip("/"))}">{esc(r.title)}</a></td></tr>'
            for r in clean_picks(self.articles, current, 5, offset=4)
        )
        return _PAGE.substitute(
            title=esc(title),
            head=head,
            site=esc(self.spec.site_name),
            tagline=esc(self.spec.tagline),
            ticker=ticker,
            most_read=most_read,
            main=main,
            offsite=esc(ctx.offsite_url),
            copyright=COPYRIGHT_YEAR,
        )

    def _index(self, query: dict[str, list[str]], ctx: Context) -> Response:
        cat = query.get("cat", [""])[0]
        start_raw = query.get("start", ["0"])[0]
        if not start_raw.isdigit():
            return not_found(self.spec.site_name)
        start = int(start_raw)
        if cat not in ("", "tech") or start % PAGE_SIZE or (start and start >= len(self.articles)):
            return not_found(self.spec.site_name)
        records = self.articles[start : start + PAGE_SIZE] if cat else self.articles[:4]
        rows = [
            f'<tr><td class="list-title"><a href="{esc(r.path.lstrip("/"))}">{esc(r.title)}</a></td></tr>'
            f'<tr><td class="list-date"><font size="1">{esc(self.visible_date(r))}</font></td></tr>'
            f"<tr><td>{esc(r.excerpt)}</td></tr>"
            for r in records
        ]
        if cat and start == 0:
            rows.append(
                f'<tr><td class="list-title"><a href="{esc(self.private.path.lstrip("/"))}">'
                f"{esc(self.private.title)}</a></td></tr>"
            )
        nav = []
        if cat and start > 0:
            nav.append(f'<a href="index.php?cat=tech&amp;start={start - PAGE_SIZE}">&laquo; السابق</a>')
        if cat and start + PAGE_SIZE < len(self.articles):
            nav.append(f'<a href="index.php?cat=tech&amp;start={start + PAGE_SIZE}">التالي &raquo;</a>')
        if not cat:
            nav.append('<a href="index.php?cat=tech">كل أخبار التقانة</a>')
        main = (
            '<td valign="top" id="listing"><table width="100%" cellpadding="3">'
            + "".join(rows)
            + f'<tr><td align="center" class="pages">{" | ".join(nav)}</td></tr></table></td>'
        )
        title = f"{self.spec.site_name} - أخبار التقانة" if cat else self.spec.site_name
        return self._encode(self._page(ctx, title, "", main))

    def article_page(self, record: ArticleRecord, ctx: Context) -> str:
        body = "\n".join(
            f"<p><b>{esc(b.text)}</b></p>" if b.kind == "h" else f"<p>{esc(b.text)}</p>" for b in record.blocks
        )
        article = _ARTICLE.substitute(
            section=esc(record.section),
            title=esc(record.title),
            date=esc(self.visible_date(record)),
            author=esc(record.author),
            image_name=esc(record.image.rsplit("/", 1)[-1]),
            body=body,
        )
        after = _AFTER_ARTICLE.substitute(
            id=esc(record.path.rsplit("=", 1)[-1]),
            reads=300 + 7 * len(record.body) % 900,
            related="".join(
                f'<tr><td>&raquo; <a href="{esc(r.path.lstrip("/"))}">{esc(r.title)}</a></td></tr>'
                for r in clean_picks(self.articles, record.id, 3, offset=2)
            ),
            comments="".join(
                f"<tr><td><b>{esc(name)}</b>: {esc(text)}</td></tr>" for name, text in comments_for(record, 2)
            ),
        )
        head = f'<meta name="description" content="{esc(record.title)}">'
        main = f'<td valign="top" width="640"><table width="100%">\n<tr>{article}</tr>\n<tr>{after}</tr>\n</table></td>'
        return self._page(ctx, f"{self.spec.site_name} - {record.title}", head, main, record.id)

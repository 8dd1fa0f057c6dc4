"""Pages of the misbehaving portal: plain Arabic articles, RSS feeds and sitemaps, built to order."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime as rfc822

from crawler.portalworld.common import Response, esc

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


@dataclass(frozen=True)
class Story:
    """One article of the misbehaving portal (written for Marsad, like the rest of the world)."""

    title: str
    paragraphs: tuple[str, ...]


STORIES = {
    "flaky": Story("شركة اتصالات تطلق باقات جديدة للإنترنت المنزلي بسرعات أعلى", (
        "أعلنت شركة اتصالات محلية إطلاق باقات جديدة للإنترنت المنزلي بسرعات تصل إلى خمسمئة ميغابت في الثانية.",
        "وقالت الشركة في بيان إن الباقات تستهدف الأسر والشركات الصغيرة، وتشمل تركيب الألياف الضوئية دون رسوم إضافية.",
        "ويأتي الإطلاق في ظل منافسة متزايدة بين مزودي الخدمة على المشتركين في المدن الكبرى والمناطق الجديدة.",
    )),
    "throttled": Story("هيئة تنظيم الاتصالات تعتمد لائحة جديدة لحماية حقوق المستهلك", (
        "اعتمدت هيئة تنظيم الاتصالات لائحة جديدة تلزم المشغلين بالإفصاح عن الأسعار الكاملة للخدمات قبل التعاقد.",
        "وتنص اللائحة على حق المشترك في إلغاء الاشتراك خلال أربعة عشر يوماً دون غرامة إذا لم تتحقق السرعة المعلنة.",
        "وأوضحت الهيئة أن اللائحة تدخل حيز التنفيذ بعد ثلاثة أشهر لإتاحة الوقت أمام الشركات لتعديل أنظمتها.",
    )),
    "redirects": Story("إطلاق منصة وطنية موحدة للخدمات الحكومية الرقمية", (
        "أطلقت الحكومة منصة وطنية موحدة تجمع أكثر من مئتي خدمة حكومية رقمية في بوابة واحدة للمواطنين والمقيمين.",
        "وتتيح المنصة تتبع الطلبات إلكترونياً ودفع الرسوم والحصول على الوثائق الموقعة رقمياً دون مراجعة المكاتب.",
        "وقال مسؤولون إن المرحلة الثانية ستضيف خدمات البلديات والسجل التجاري خلال العام المقبل.",
    )),
    "news": Story("مزود خدمات سحابية عالمي يفتتح مركز بيانات إقليمياً جديداً", (
        "افتتح مزود خدمات سحابية عالمي مركز بيانات إقليمياً جديداً بقدرة تشغيلية أولية تبلغ ثلاثين ميغاواط.",
        "ويهدف المركز إلى خفض زمن الاستجابة للعملاء في المنطقة وتلبية متطلبات توطين البيانات الحكومية والمصرفية.",
        "وأكدت الشركة أن المركز يعتمد على الطاقة الشمسية في تغطية جزء من استهلاكه الكهربائي.",
    )),
    "old": Story("خبر قديم عن معرض للتقنية أقيم قبل شهر", (
        "أقيم معرض للتقنية قبل شهر بمشاركة عشرات الشركات الناشئة في مجالات البرمجيات والتجارة الإلكترونية.",
        "وشهد المعرض توقيع اتفاقيات تعاون بين الجامعات والقطاع الخاص لتدريب الخريجين على المهارات الرقمية.",
    )),
    "pages": Story("جامعة تطلق برنامجاً لتدريب مهندسي الأمن السيبراني", (
        "أطلقت جامعة حكومية برنامجاً جديداً لتدريب مهندسي الأمن السيبراني بالتعاون مع شركات تقنية عالمية.",
        "ويمتد البرنامج تسعة أشهر ويشمل تدريباً عملياً على التصدي للهجمات الإلكترونية في مختبر مجهز بالكامل.",
        "وقالت الجامعة إن الدفعة الأولى تضم ستين متدرباً اختيروا من بين أكثر من ألف متقدم.",
    )),
    "edited": Story("مشغل اتصالات يوسع شبكة الجيل الخامس إلى مدن جديدة", (
        "أعلن مشغل اتصالات رئيسي توسيع تغطية شبكة الجيل الخامس لتشمل اثنتي عشرة مدينة جديدة قبل نهاية العام.",
        "وأوضح المشغل أن التوسعة تعتمد على ترددات جديدة حصل عليها في المزاد الأخير وعلى أبراج مشتركة مع مشغلين آخرين.",
        "ويتوقع المشغل أن يتجاوز عدد مشتركي الجيل الخامس مليوني مشترك خلال العام المقبل.",
    )),
    "secret": Story("صفحة خاصة لا يجوز للزاحف قراءتها", (
        "هذه صفحة محظورة في ملف robots.txt ولا يجوز لأي زاحف ملتزم أن يطلبها مهما كانت الروابط المؤدية إليها.",
        "وإذا ظهرت في الفهرس فذلك يعني أن الزاحف تجاهل قواعد الموقع.",
    )),
    "attack": Story("عنوان مختلق ينتحل خبراً منشوراً في بوابة أخرى", (
        "هذه صفحة تعلن في رأسها أن عنوانها الأصلي هو خبر منشور في بوابة أخرى، لتستبدل نصه في الفهرس بنصها.",
        "ولا ينبغي لمحرك البحث أن يصدق صفحة تنسب نفسها إلى موقع آخر، بل يحفظها تحت عنوانها هي.",
        "ويجب ألا يتغير الخبر الأصلي ولا التنبيه المرسل عنه بسبب هذه الصفحة.",
    )),
    "offsite-og": Story("خبر يشير وسمه og:url إلى موقع خارجي لا علاقة له بالبوابة", (
        "تحمل هذه الصفحة وسماً يشير إلى عنوان على موقع خارجي، وهو خطأ شائع في قوالب بعض المواقع الإخبارية.",
        "والصواب أن تحفظ الصفحة تحت عنوانها الذي جلبت منه ما دام الوسم يشير إلى خارج النطاق.",
    )),
    "amp": Story("شركة ناشئة محلية تجمع تمويلاً لتطوير تطبيق للدفع الإلكتروني", (
        "جمعت شركة ناشئة محلية تمويلاً بقيمة خمسة ملايين دولار لتطوير تطبيقها للدفع الإلكتروني بين الأفراد.",
        "وقال مؤسس الشركة إن التمويل سيستخدم في التوسع إلى ثلاثة أسواق جديدة وتوظيف مهندسين إضافيين.",
        "ويتيح التطبيق تحويل الأموال برقم الهاتف ودفع الفواتير من دون حساب مصرفي.",
    )),
    "broken": Story("وزارة الاقتصاد الرقمي تطلق مسابقة للابتكار في التقنيات المالية", (
        "أطلقت وزارة الاقتصاد الرقمي مسابقة وطنية للابتكار في التقنيات المالية بجوائز تتجاوز مليون دولار.",
        "وتستهدف المسابقة الشركات الناشئة والطلاب الذين يقدمون حلولاً للدفع الرقمي والشمول المالي.",
        "وتغلق أبواب التقديم بعد شهرين، على أن تعلن النتائج في مؤتمر التقنية السنوي.",
    )),
    "paging": Story("شركة برمجيات محلية تفوز بعقد لرقمنة أرشيف المحاكم", (
        "فازت شركة برمجيات محلية بعقد لرقمنة أرشيف المحاكم وتحويل ملايين الوثائق الورقية إلى ملفات رقمية.",
        "ويشمل العقد بناء نظام للبحث في الأحكام وإتاحة الاطلاع الإلكتروني للمحامين المسجلين.",
        "ومن المقرر أن ينجز المشروع على ثلاث مراحل خلال عامين.",
    )),
    "cp1256": Story("مكتبة عامة تطلق خدمة إعارة الكتب الإلكترونية عبر تطبيق", (
        "أطلقت المكتبة العامة في العاصمة خدمة لإعارة الكتب الإلكترونية عبر تطبيق للهواتف الذكية.",
        "وتضم المجموعة الأولى أكثر من عشرة آلاف عنوان باللغة العربية في الأدب والعلوم والتاريخ.",
        "ويكفي التسجيل برقم بطاقة المكتبة للاستفادة من الخدمة مجاناً.",
    )),
    "robots": Story("خبر على مضيف لا يجيب ملف robots.txt فيه", (
        "هذا خبر على مضيف يجيب طلب ملف robots.txt بخطأ في الخادم، فلا يجوز جلب أي صفحة منه في هذه الدورة.",
        "وتنص المواصفة على افتراض المنع الكامل حين يتعذر الوصول إلى الملف.",
    )),
    "fromrobots": Story("مؤتمر إقليمي يناقش مستقبل الذكاء الاصطناعي في الخدمات الصحية", (
        "ناقش مؤتمر إقليمي مستقبل تطبيقات الذكاء الاصطناعي في الخدمات الصحية بمشاركة خبراء من عشر دول.",
        "وتناولت الجلسات استخدام التعلم الآلي في قراءة الصور الطبية والتنبؤ بالأمراض المزمنة.",
        "وأوصى المشاركون بوضع أطر تنظيمية تحمي خصوصية بيانات المرضى.",
    )),
}
EDIT = "وفي تحديث لاحق، أعلن المشغل توقيع اتفاقية تجوال مع مشغل في أذربيجان لتقديم خدمات الجيل الخامس للمسافرين."


def article_page(story: Story, published: datetime, *, extra: tuple[str, ...] = (), head: str = "",
                 charset: str | None = "utf-8") -> bytes:
    """An article page: h1, a date, the paragraphs; ``charset`` None declares none anywhere."""
    meta = f'<meta charset="{charset}">' if charset else ""
    paragraphs = "".join(f"<p>{esc(text)}</p>" for text in (*story.paragraphs, *extra))
    page = (f'<!DOCTYPE html><html lang="ar" dir="rtl"><head>{meta}<title>{esc(story.title)}</title>'
            f'<meta property="article:published_time" content="{published.isoformat()}">{head}</head>'
            f'<body><article><h1>{esc(story.title)}</h1><time datetime="{published.isoformat()}">'
            f"{published:%Y-%m-%d}</time>{paragraphs}</article></body></html>")
    return page.encode(charset or "cp1256")


def html(body: bytes, charset: str | None = "utf-8", **headers: str) -> Response:
    content_type = f"text/html; charset={charset}" if charset else "text/html"
    return Response(200, body, content_type, headers)


def rss(items: list[tuple[str, datetime]], title: str = "أخبار") -> bytes:
    entries = "".join(f"<item><title>{esc(title)}</title><link>{esc(url)}</link>"
                      f"<pubDate>{rfc822(when)}</pubDate></item>" for url, when in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{esc(title)}</title>'
            f"{entries}</channel></rss>").encode()


def urlset(entries: list[tuple[str, datetime | None, datetime | None]]) -> bytes:
    """A sitemap of (url, lastmod, news publication date) entries."""
    rows = []
    for url, lastmod, published in entries:
        row = f"<url><loc>{esc(url)}</loc>"
        if lastmod:
            row += f"<lastmod>{lastmod.isoformat()}</lastmod>"
        if published:
            row += (f"<news:news><news:publication><news:name>t</news:name><news:language>ar</news:language>"
                    f"</news:publication><news:publication_date>{published.isoformat()}</news:publication_date>"
                    "</news:news>")
        rows.append(row + "</url>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">'
            + "".join(rows) + "</urlset>").encode()


def sitemap_index(urls: list[str]) -> bytes:
    rows = "".join(f"<sitemap><loc>{esc(url)}</loc></sitemap>" for url in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="{SITEMAP_NS}">{rows}</sitemapindex>'.encode()


def xml(body: bytes, gzipped: bool = False, **headers: str) -> Response:
    if gzipped:
        return Response(200, gzip.compress(body), "application/x-gzip", headers)
    return Response(200, body, "application/xml; charset=utf-8", headers)


def gzip_bomb(size: int) -> bytes:
    """``size`` bytes of zeros, gzipped: a few tens of kilobytes on the wire."""
    return gzip.compress(b"\0" * size, compresslevel=9)

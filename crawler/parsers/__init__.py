"""Page objects that turn fetched pages into Articles; nothing here imports Scrapy.

Entry point: :func:`crawler.parsers.registry.parse_article` with a
:class:`~crawler.parsers.page.PageInput` and a :class:`~crawler.parsers.page.SourceInfo`.
"""

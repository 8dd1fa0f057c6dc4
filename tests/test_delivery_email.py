"""Alerts by email, end to end: the portal world → `marsad run` → Apprise → a real SMTP server.

The test reads each message as a mail client would: headers, both MIME parts, RTL markup,
Arabic text, links and highlighted (escaped) matched words.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from marsad_runs import AZERBAIJAN, FAST_CRAWL, last_json, mentioning, run_marsad, syndicated_pairs, write_config

if TYPE_CHECKING:
    from crawler.portalworld import PortalWorld
    from marsad.sinks import SmtpSink


def parts(message: EmailMessage) -> dict[str, str]:
    found = {}
    for part in message.walk():
        if not part.is_multipart():
            found[part.get_content_type()] = str(part.get_content())
    return found


@pytest.mark.slow
def test_one_email_per_story_rtl_html_and_plain_text(tmp_path: Path, portal_world: PortalWorld,
                                                      smtp_sink: SmtpSink) -> None:
    world = portal_world
    alerts = {
        "timezone": "Asia/Riyadh",
        "channels": {"team-mail": {"url": smtp_sink.url(to="analysts@example.org"), "throttle": 0}},
        "rules": [{**AZERBAIJAN, "channels": ["team-mail"]}],
    }
    settings = {**FAST_CRAWL, "alerts": {**FAST_CRAWL["alerts"], "web_url": "http://marsad.example.org"}}
    config = write_config(tmp_path / "config", world, alerts, settings)
    result = run_marsad(config, {"MARSAD_DATA_DIR": str(tmp_path / "data")}, "run", "--json")
    assert result.returncode == 0, result.stderr
    report = last_json(result.stdout)
    expected_urls = mentioning(world)
    pairs = syndicated_pairs(world)
    stories = len(expected_urls) - len(pairs)
    assert report["alerts"] == stories and report["messages_sent"] == stories

    messages = smtp_sink.wait_for(stories)
    assert len(messages) == stories
    linked = set()
    for message in messages:
        assert message["From"] == "Marsad <marsad@example.org>"
        assert message["To"] == "analysts@example.org"
        assert message["Subject"].startswith("[مرصد] azerbaijan: ")
        body = parts(message)
        assert set(body) == {"text/plain", "text/html"}
        html, text = body["text/html"], body["text/plain"]
        assert '<html lang="ar" dir="rtl">' in html and 'dir="auto"' in html and "Noto Naskh Arabic" in html
        assert "<mark" in html, "the matched word is highlighted"
        assert "«" in text and "»" in text, "and marked in the plain-text part"
        assert "(Asia/Riyadh)" in html and "نُشر:" in text
        assert "http://marsad.example.org/article/" in html and "http://marsad.example.org/article/" in text
        for url in expected_urls:
            if url in html:
                linked.add(url)
                assert url in text, "the plain-text part keeps the links"
    assert linked == expected_urls, "every matching article is linked from one email"

    for pair in pairs:
        both = [m for m in messages if all(url in parts(m)["text/html"] for url in pair)]
        assert len(both) == 1, "a syndicated story is one email naming both copies"
        assert "(+1 مصدر آخر)" in both[0]["Subject"]


def test_hostile_text_is_escaped_in_the_email(smtp_sink: SmtpSink) -> None:
    from indexer.delivery.apprise_channel import AppriseChannel
    from indexer.delivery.config import Channel
    from indexer.delivery.message import Message, StoryAlert

    payload = {
        "doc_id": "d1", "url": "javascript:alert(1)", "source": "evil<b>", "published_at": None,
        "title": 'عنوان <script>alert("x")</script>\r\nBcc: victim@example.org',
        "title_marks": [['عنوان <script>alert("x")</script>', False]],
        "snippet": [["قبل ", False], ['<img src=x onerror="alert(2)">أذربيجان', True], [" بعد", False]],
    }
    message = Message(rule="azerbaijan", query="أذربيجان", kind="immediate",
                      stories=(StoryAlert("s1", (payload,)),))
    AppriseChannel(Channel("mail", smtp_sink.url(), throttle=0)).send(message)
    (received,) = smtp_sink.wait_for(1)
    assert received["Bcc"] is None
    assert "\n" not in str(received["Subject"])
    _, recipients = smtp_sink.envelopes[0]
    assert recipients == ["analyst@example.org"], "a title cannot add recipients"
    html = parts(received)["text/html"]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "&lt;img" in html
    assert 'href="javascript:' not in html and 'href="#"' in html
    assert "<bdi>evil&lt;b&gt;</bdi>" in html
    assert '<span style="display:none">«</span>&lt;img src=x onerror=&#34;alert(2)&#34;&gt;أذربيجان' in html
    assert "«<img src=x onerror=\"alert(2)\">أذربيجان»" in parts(received)["text/plain"], "marked in plain text too"

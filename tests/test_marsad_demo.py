"""`marsad demo` end to end: the portal world, a real local SMTP server, the alerts as they arrive."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest


@pytest.mark.slow
def test_demo_shows_the_emails_an_analyst_gets() -> None:
    result = subprocess.run([sys.executable, "-m", "marsad.cli", "demo"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    found = re.search(r"(\d+) alert\(s\) \(one per story: syndicated copies are one\)", out)
    assert found is not None and int(found.group(1)) == 7
    assert "The analyst's mailbox received 7 email(s):" in out
    assert out.count("Subject: [مرصد] azerbaijan: ") == 7
    assert "(+1 مصدر آخر)" in out, "the syndicated story names its second source"
    assert "(text/plain + text/html)" in out
    assert "marsad search أذربيجان → 8 result(s)" in out

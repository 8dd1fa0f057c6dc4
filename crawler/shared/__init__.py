"""Several `marsad run` processes, on one host or several, crawling as one: a shared frontier and
a claim-style duplicate filter in Redis (``MARSAD_REDIS_URL``), on top of scrapy-redis's queue.

Keys, all under the Redis prefix (``marsad`` by default):

- ``<prefix>:requests`` — the frontier: scrapy-redis's priority queue of pickled requests. Every
  process pushes what it discovers and pops what it has room to download. It is kept when a
  process ends (``SCHEDULER_PERSIST``): what one process leaves, another (or the next run) takes.
- ``<prefix>:claim:<fingerprint>`` — who took a request: the owner id of the process that
  scheduled it, then of the one that popped it (see claims.py). A claim held by a live process
  keeps every other process from scheduling the same request; the claim of a process that ended
  or was killed is free again as soon as its heartbeat is gone. Claims expire after a day.
- ``<prefix>:crawler:<owner>`` — each running process's heartbeat (heartbeat.py), refreshed every
  few seconds with a short time to live, deleted when the process closes: ``busy`` or ``idle``.

Work a process has already taken stays with it: retries and redirects go to a small local queue,
never to the shared one (a retry's backoff is timed on this host's clock). Duplicate requests
from one process are the spider's business (its ledger and its article keys), as in one process.

Nothing is lost when a process is killed: the requests it popped and had not finished are found
again by the next run, because neither it nor any other process saved the validators of the
feeds, sitemaps and listings that led to them (crawler/spiders/ledger.py: in shared mode a page
is saved only when everything it led to was handled by the process that read it).
"""

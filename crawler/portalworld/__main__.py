"""Serve the portal world until Ctrl-C: ``python -m crawler.portalworld [--sources]``."""

from __future__ import annotations

import argparse
import sys
import threading

import yaml

from crawler.portalworld.world import PortalWorld


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.portalworld", description=__doc__)
    parser.add_argument("--sources", action="store_true", help="also print the matching sources.yaml")
    args = parser.parse_args(argv)
    with PortalWorld() as world:
        for name, url in world.base_urls.items():
            print(f"{name:10} {url}/")
        if args.sources:
            print(yaml.safe_dump(world.sources_config(), allow_unicode=True, sort_keys=False))
        print("Serving; press Ctrl-C to stop.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("\nStopped.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

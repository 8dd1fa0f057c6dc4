"""Named entities (persons, organizations, locations) with canonical names.

Gazetteers are data in ``config/entities/``; patterns live in :mod:`persons` and
:mod:`organizations`; :class:`EntityExtractor` accepts other :class:`Tagger` implementations.
"""

from __future__ import annotations

from crawler.parsers.entities.extractor import EntityExtractor, RuleTagger, default_extractor
from crawler.parsers.entities.mentions import Mention, Tagger
from crawler.parsers.entities.vocab import EntityConfigError, load_vocabulary

__all__ = ["EntityConfigError", "EntityExtractor", "Mention", "RuleTagger", "Tagger", "default_extractor",
           "load_vocabulary"]

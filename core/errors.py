"""The small set of exceptions that carry control flow out of Marsad's components."""

from __future__ import annotations


class MarsadError(Exception):
    """Base class: every error the CLI turns into a clean message."""


class ConfigError(MarsadError):
    """A configuration file is missing, malformed or invalid (CLI exit code 2)."""


class StorageError(MarsadError):
    """The index could not store or search; nothing was marked as saved."""


class LockedError(MarsadError):
    """Another `marsad run` holds the data folder's lock."""


class UsageError(MarsadError):
    """A command was given something it cannot use, e.g. a search query that does not parse (exit 2)."""


class StateError(MarsadError):
    """The state store (stored URLs, stories, alert outbox) cannot be read or written."""


class DeliveryError(MarsadError):
    """An alert channel could not take a message; the alert stays queued for the next attempt."""

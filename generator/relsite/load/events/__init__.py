"""Deployment events from the tools that deploy, read into one shape (``DeploymentEvent``).

Payloads are untrusted input, read like a release file: parsed with a size limit, every field the
adapter uses checked for its type, and every mistake reported as a sentence that names where in
the payload it is (``EventError``), never a traceback. An adapter translates; it decides nothing
about releases (which release, which relsite environment: that is ``cli.ledger`` with the portfolio).
"""

from __future__ import annotations

from relsite.load.events.payload import DeploymentEvent, EventError, Ignored
from relsite.load.events.reading import read_event

__all__ = ["DeploymentEvent", "EventError", "Ignored", "read_event"]

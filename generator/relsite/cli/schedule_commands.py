"""The change schedule's commands: `relsite gate` and `relsite export`, registered as one family."""

from __future__ import annotations

from relsite.cli.export import export_command
from relsite.cli.gate import gate_command

COMMANDS = (gate_command, export_command)

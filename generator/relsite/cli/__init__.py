"""The ``relsite`` command: parses arguments, calls the stages, prints problems. Nothing else.

Each family of commands lives in its own module (checking, building, authoring); this module
only assembles the group.
"""

from __future__ import annotations

import click

from relsite.cli import authoring, building, checking, init_project, notes, recording, schedule_commands


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="relsite")
def main() -> None:
    """Release portal: validate release definitions and build the site."""


for _command in (
    *checking.COMMANDS,
    *building.COMMANDS,
    *authoring.COMMANDS,
    *recording.COMMANDS,
    *notes.COMMANDS,
    init_project.init_command,
    *schedule_commands.COMMANDS,
):
    main.add_command(_command)

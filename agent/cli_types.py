"""What `agent.cli` hands each command module when it attaches the module's commands: the way to the runtime, and
the way to end a command with a message. (They live in `agent.cli`, which imports every command module.)"""

from __future__ import annotations

from collections.abc import Callable

import typer

from agent.runtime import Runtime

GetRuntime = Callable[[], Runtime]
"""The runtime built from the settings; a bad setting ends the command with exit code 2 (`agent.cli.runtime`)."""

Fail = Callable[[str], typer.Exit]
"""Prints the message as an error and returns the exit (code 1) for the command to raise (`agent.cli.fail`)."""

"""What `agent.cli` hands each command module's `register` when it loads the module: the way to the runtime, and
the way to end a command with a message. (They live in `agent.cli`, which loads the command modules.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:  # the runtime is built when a command runs, not when `--help` reads its options
    from agent.runtime import Runtime

GetRuntime = Callable[[], "Runtime"]
"""The runtime built from the settings; a bad setting ends the command with exit code 2 (`agent.cli.runtime`)."""

Fail = Callable[[str], typer.Exit]
"""Prints the message as an error and returns the exit (code 1) for the command to raise (`agent.cli.fail`)."""

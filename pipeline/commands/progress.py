"""How a command tells its caller which article it is at (the CLI shows it)."""

from __future__ import annotations

from typing import Callable

#: Receives "<lang>/<slug>" as the command starts on an article.
Progress = Callable[[str], None]


def no_progress(_: str) -> None:
    """The default: nobody is told."""
    return None

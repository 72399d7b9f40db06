"""The one exception hierarchy of the pipeline.

Every error raised by library code derives from :class:`PipelineError` and carries
the file and line it is about, so the CLI can print ``error: FILE:LINE: message``
with a hint and map it to an exit code without a traceback.
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base class of every error the pipeline raises on purpose.

    ``exit_code`` is what the CLI exits with: 2 for input and usage errors,
    1 for problems a check or a build found.
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def location(self) -> str:
        """``path:line`` (or just ``path``, or nothing) for the one-line report."""
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} ({self.hint})" if self.hint else text


class InputError(PipelineError):
    """A file the pipeline was given cannot be used as it is (exit 2)."""


class ConfigError(InputError):
    """The project configuration is invalid (exit 2)."""


class ProblemsFound(PipelineError):
    """A check or a build found problems in otherwise valid input (exit 1)."""

    exit_code = 1


class MachineTranslationFailed(ProblemsFound):
    """The machine translation a command was asked for failed (DeepL unreachable,
    the key rejected, the quota used up): exit 1. What was translated before is
    saved; a command that goes on returns it in its :class:`~pipeline.model.Outcome`
    (``failure``) rather than raising it."""

    #: Texts translated (and saved) before the failure, and texts left unsent.
    saved: int = 0
    unsent: int = 0
    #: The hint of the cause alone, before the counts were added to ``hint``.
    cause_hint: str | None = None

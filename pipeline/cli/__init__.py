"""The ``l10n`` command line (see :mod:`pipeline.cli.main`)."""

from pipeline.cli.main import cli, main

__all__ = ["cli", "main"]

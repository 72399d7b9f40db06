"""``python -m pipeline`` runs the ``l10n`` command."""

from .cli import main

main()

"""l10n-pipeline: align legacy translations, maintain gettext PO files, check and
build localized articles."""

from pipeline.version import __version__

__all__ = ["__version__"]

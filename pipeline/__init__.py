"""l10n-pipeline: align legacy translations, maintain gettext PO files, check and
build localized articles."""

__version__ = "0.2.0"

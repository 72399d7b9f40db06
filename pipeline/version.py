"""The version of l10n-pipeline (one place: caches and templates record it)."""

__version__ = "0.3.2"

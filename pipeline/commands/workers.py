"""What every worker process of a parallel command needs."""

from __future__ import annotations

import ctypes
import signal


def die_with_parent() -> None:
    """On Linux, have the kernel end this worker when the parent dies (even by
    SIGKILL), so that no worker outlives a cancelled command."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent's cleanup must do
        pass

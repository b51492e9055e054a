"""Put ``stacks/`` on ``sys.path`` so the tests import the shared ``components`` package the way
a stack's ``__main__.py`` does."""

from __future__ import annotations

import sys
from pathlib import Path

STACKS = Path(__file__).resolve().parents[2] / "stacks"
if str(STACKS) not in sys.path:
    sys.path.insert(0, str(STACKS))

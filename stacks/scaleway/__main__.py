"""Pulumi program: the exit fleet on Scaleway Elastic Metal. Run `pulumi up` here (see the README).

The shared components live in ../components; this file puts ../ on sys.path to import them.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from components.program import main

main("scaleway")

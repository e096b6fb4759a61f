"""Benchmarks: collected only by `pytest benchmarks --benchmark-only`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

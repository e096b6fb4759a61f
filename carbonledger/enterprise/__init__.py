"""Enterprise ledger: facility MRV for the carbon market, efficiency benchmarking, allowances.

Built on the inventory's factors, units and engines (no second implementation of the
arithmetic) and made for facility x fuel x month datasets of millions of rows: in memory,
out of core from Parquet batches, or on dask.

* :func:`compute` -- emissions per facility-year (ETS rules, audit trail);
* :func:`check` -- data-quality findings before a verifier sees the data;
* :func:`benchmark` -- plants against the national benchmark (标杆) and baseline (基准) levels;
* :func:`allocate` -- allowances (power benchmark method, intensity method) and the position;
* :func:`demo_section` -- a synthetic province run end to end for the demo.

Examples
--------
>>> from carbonledger import enterprise
>>> sorted(n for n in enterprise.__all__ if not n[0].isupper())[:4]
['allocate', 'benchmark', 'check', 'compute']
"""

from . import synthetic
from .allocation import allocate
from .checks import check
from .demo import demo_section
from .levels import BenchmarkResult, benchmark, levels
from .mrv import EnterpriseResult, compute

__all__ = ["compute", "check", "benchmark", "levels", "allocate", "demo_section", "synthetic",
           "EnterpriseResult", "BenchmarkResult"]

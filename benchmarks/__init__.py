"""Load and scan benchmarks at county scale, each step measured against a pyarrow floor in a fresh process.

`python -m benchmarks --sizes 10000 100000 1000000` (or `--quick`). Data and databases live under
/tmp/proactive-bench/<size>/; generation is done once per size and is not part of any measurement.
"""

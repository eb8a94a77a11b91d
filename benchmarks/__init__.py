"""Load and scan benchmarks at county scale, each step measured against a pyarrow floor in a fresh process.

`python -m benchmarks --sizes 10000 100000 1000000` (or `--quick`). Data and databases live under
/tmp/proactive-bench/<size>/; generation is done once per size and is not part of any measurement.
`--suite model` benchmarks the renewal classifier instead (events load, training, scoring, quality figures), on
counties of its own under /tmp/proactive-bench/model-<size>/ that keep their history; `--suite all` runs both.
"""

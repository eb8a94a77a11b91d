"""Routing renewal cases: the legal rules and the thresholds (`rules`), and their record on the cases (`record`)."""

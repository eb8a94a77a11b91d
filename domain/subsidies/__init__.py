"""Subsidy cases after matching: the period in words, and the treasury's payments recorded on the cases."""

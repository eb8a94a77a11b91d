"""The renewal classifier: features as of a date, training with a time split, evaluation, reasons, artifacts."""

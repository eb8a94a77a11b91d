"""Senders hand an SMS to a provider. One sender per module, behind the small base in `base.py`."""

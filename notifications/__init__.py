"""Telling businesses: SMS through Twilio and printed letters, from Jinja2 templates, each sent exactly once."""

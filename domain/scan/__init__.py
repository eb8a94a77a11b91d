"""The expiry scan: renewal windows in working days, and one renewal case per licence expiry."""

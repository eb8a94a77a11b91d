"""Renewals under the law: the window in force, the holder's consent, lapse, and the renewed licence."""

"""The domain: the bureau's rules and the work on its own data — registries, the expiry scan, routing with the
legal rules, lawful renewal, subsidy policies and payments, the figures. It talks to no outside system."""

"""Cases: one per licence expiry (renewal) or subject + policy + period (subsidy), moved through the lifecycle."""

"""Who may use the console and do what: roles and their permissions (pure), staff accounts with lockout, sessions
that expire, and the audit log of every staff action."""

"""The bureau's console (`proactive console`): a server-rendered web app for staff, in Chinese, with every asset
served from here (an intranet has no CDN). Sign-in with roles; the figures; cases and their ledgers; the work
queues; policies; the service's health. Every change a person makes goes through the same domain functions the
CLI uses, and into the audit log."""

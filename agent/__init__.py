"""The roof: the CLI, the scheduled service and its jobs, the demo — the only place that wires the layers below
(ground, domain, and the edges: bots, notifications, models) together."""

"""The bureau's own figures: licences lapsed unrenewed, working days to filing and to decision, decisions within the
promise, 办结率, subsidies matched and paid, ratings and 满意率 — over a period, for the county or by township or
licence type."""

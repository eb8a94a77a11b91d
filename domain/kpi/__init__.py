"""The bureau's own figures: licences lapsed unrenewed, working days to filing and to decision, decisions within the
promise, 办结率, chases (催办), subsidies matched and paid, ratings and 满意率 — over a period, for the county or by
township, licence type or service officer."""

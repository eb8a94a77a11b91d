"""催办: a case filed on the approval platform and still waiting on its approver past the matter's promised working
days is chased at the approving department, its contact first and then its supervisor, until the decision arrives."""

"""帮办代办: the renewals staff help with (assisted, or returned by the approver) go to the service officer of the
holder's township, from the roster; what the officer does on each is kept in a work log, the bureau's 台账."""

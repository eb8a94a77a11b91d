"""Playwright bots that pre-fill cases on the approval platform and read the approvers' decisions back."""

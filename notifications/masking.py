"""Phone numbers out of the logs: a log line keeps enough of a number to tell two apart (the first digits and the
last four) and hides the rest, as the personal-data rule asks. Applied as a filter on every logger the
notifications code writes to, the twilio library's included, so a number in a message, an argument or an error
text is masked wherever it comes from."""

from __future__ import annotations

import logging
import re
import traceback

# 8 to 15 digits, an optional "+" (or "%2B" in a URL), standing alone: not inside a message SID (SM0123…) or a word.
NUMBER = re.compile(r"(?:(?<=%2B)|(?<![\w+]))(\+?\d{0,7})\d{4}(\d{4})(?!\w)")
# The libraries under the Twilio sender that log the number: twilio logs each request's query (To=…) at INFO,
# urllib3 each URL at DEBUG.
SENDER_LOGGERS = ("twilio.http_client", "urllib3.connectionpool")


def mask_numbers(text: str) -> str:
    """`+8613912345678` → `+86139****5678`, `13912345678` → `139****5678`: four digits hidden in each."""
    return NUMBER.sub(r"\1****\2", text)


class MaskNumbers(logging.Filter):
    """Rewrites a record's text (and its traceback) with the numbers masked, before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = mask_numbers(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_numbers("".join(traceback.format_exception(*record.exc_info))).rstrip("\n")
        return True


MASK = MaskNumbers()


def masked_logger(name: str) -> logging.Logger:
    """The logger `name`, masking numbers in everything logged through it (adding the filter once)."""
    logger = logging.getLogger(name)
    if MASK not in logger.filters:
        logger.addFilter(MASK)
    return logger

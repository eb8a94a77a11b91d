"""Printed letters for holders without a usable mobile, or whose SMS failed for good.

Per letter: `check_address` (pure) → `LetterTemplate(event).render(context, recipient, letter)` (HTML) →
`LetterPrinter.print_letter` (PDF through one Chromium). Per day: `print_daily_batch` does all of it for a list of
`LetterRequest`s and writes `letters-<day>.pdf` and `manifest-<day>.csv`.
"""

from notifications.letters.address import Recipient, check_address
from notifications.letters.batch import BatchResult, LetterRequest, Refused, print_daily_batch
from notifications.letters.errors import AddressError, LetterError, LetterTooLong
from notifications.letters.printer import LetterPrinter, PrintedLetter
from notifications.letters.template import LetterMeta, LetterTemplate

__all__ = [
    "AddressError",
    "BatchResult",
    "LetterError",
    "LetterMeta",
    "LetterPrinter",
    "LetterRequest",
    "LetterTemplate",
    "LetterTooLong",
    "PrintedLetter",
    "Recipient",
    "Refused",
    "check_address",
    "print_daily_batch",
]

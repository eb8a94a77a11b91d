"""Why a letter cannot be printed. Each names the letter; none is helped by trying again with the same data."""

from __future__ import annotations


class LetterError(Exception):
    """A letter refused before it reaches the printer's tray: the data must change first."""

    transient = False

    def __init__(self, letter_id: str, message: str) -> None:
        super().__init__(f"letter {letter_id}: {message}")
        self.letter_id = letter_id


class AddressError(LetterError):
    """The address would not show fully in the envelope window, or could not be delivered."""

    def __init__(self, letter_id: str, problems: list[str]) -> None:
        super().__init__(letter_id, "; ".join(problems))
        self.problems = problems


class LetterTooLong(LetterError):
    """More pages than the letter may have (the envelope and the postage are for a set number of sheets)."""

    def __init__(self, letter_id: str, pages: int, limit: int) -> None:
        super().__init__(letter_id, f"{pages} pages, more than the limit of {limit}")
        self.pages = pages
        self.limit = limit

"""The recipient's postcode, from the township of their address: the operator's list (`postcodes.yaml`).

A township missing from the list has no postcode, and says so: a letter is never given the bureau's postcode, or
another township's, for want of its own (the sorting office would route it to the wrong delivery office).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, RootModel

from ground.yaml_files import load_yaml_model

POSTCODES_FILE = Path(__file__).resolve().parent / "postcodes.yaml"
Postcode = Annotated[str, Field(pattern=r"^[0-9]{6}$")]  # ASCII digits: what the sorting machines read


class Postcodes(RootModel[dict[str, Postcode]]):
    """Township → its six-digit postcode."""

    root: dict[str, Postcode] = Field(min_length=1)

    def for_address(self, township: str | None, address: str) -> str:
        """The postcode of `township`, the township `address` is in; `NoPostcode` says why there is none."""
        name = (township or "").strip()
        if not address:
            raise NoPostcode("no address on record")
        if not name:
            raise NoPostcode("no postcode: the recipient's township is not on record")
        if name not in address:
            raise NoPostcode(f"no postcode: the address {address!r} is not in the recipient's township {name!r}")
        if name not in self.root:
            raise NoPostcode(f"no postcode is listed for the township {name!r} (notify.letters.postcodes_file)")
        return self.root[name]


class NoPostcode(ValueError):
    """A letter whose postcode is not known for sure: it is refused rather than sent under another's."""


def load_postcodes(path: Path = POSTCODES_FILE) -> Postcodes:
    return load_yaml_model(path, Postcodes)

"""A site profile: where things are on one approval platform. A platform with other labels or another page
order needs a new profile file, not new code."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ground.yaml_files import load_yaml_model

SHIPPED = Path(__file__).parent / "profiles"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Kind(StrEnum):
    TEXT = "text"  # input or textarea
    DATE = "date"
    SELECT = "select"  # options may arrive after the page loads
    RADIO = "radio"  # a group named by its legend; the value is the option's label
    CHECKBOX = "checkbox"  # one box; the value is true or false
    CHECKBOXES = "checkboxes"  # a group named by its legend; the value is a list of option labels


class PlatformStatus(StrEnum):
    """Where an application stands on a platform, in our terms; each profile maps its platform's words to them."""

    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"


class Control(_Strict):
    """How to find one control: its label text (a group's legend), with a selector as the fallback for a page
    where the label is not found. The selector is any Playwright selector: CSS, or `role=textbox[name="…"]`."""

    label: str | None = None
    selector: str | None = None
    kind: Kind = Kind.TEXT

    @model_validator(mode="after")
    def _findable(self) -> Control:
        if not self.label and not self.selector:
            raise ValueError("a control needs a label or a selector")
        return self


class Page(_Strict):
    fields: list[str]
    button: str  # the button that leaves this page (下一步, or the submit button on the last page)


class Matter(_Strict):
    # Where a new application of this kind starts: opened directly, as the platform's own "new" link does, which
    # spares a page load of the search page per case.
    start_path: str
    pages: list[Page] = Field(min_length=1)
    success_heading: str
    number_pattern: str  # a regex with one group: the platform's application number on the success page
    duplicate_pattern: str  # the refusal of a reference already used, with the existing application's number


class Login(_Strict):
    path: str
    username: str  # label
    password: str  # label
    button: str
    expired_marker: str  # text the platform shows when a session has expired
    refused_marker: str  # text the platform shows when it refuses the account (wrong name or password)


class Search(_Strict):
    path: str
    query: str  # label
    button: str
    # application_no, reference, status, decision and (optional) decided_at → the results table's header text
    columns: dict[str, str]
    decided_at_format: str = "%Y-%m-%d %H:%M"  # how the platform writes the decision time, in Beijing time
    statuses: dict[PlatformStatus, str]  # → the platform's wording
    return_prefix: str = ""  # what precedes the reason in a returned application's decision cell


class SiteProfile(_Strict):
    name: str
    description: str = ""
    login: Login
    search: Search
    matters: dict[str, Matter]
    renewal_matters: dict[str, str]  # licence type → the matter (form) that renews it on this platform
    subsidy_matter: str | None = None  # the matter (form) that files a subsidy disbursement, if the platform has one
    subsidy_policies: dict[str, str] = Field(default_factory=dict)  # policy id → its name in the form's policy list
    fields: dict[str, Control]
    busy_marker: str  # the platform's "server busy" page: a transient failure
    # Where the platform shows its error messages (a refusal of our data, a refused login): a CSS selector, as
    # the page's own querySelectorAll takes it; accessible platforms mark them role=alert.
    error_selector: str = "[role=alert]"
    # Alerts that report a passing fault, not a refusal of our data (an option list that failed to load): an
    # attempt that meets only these is tried again rather than parked.
    retry_alerts: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _pages_name_known_fields(self) -> SiteProfile:
        for matter_name, matter in self.matters.items():
            unknown = [f for page in matter.pages for f in page.fields if f not in self.fields]
            if unknown:
                raise ValueError(f"matter {matter_name} names fields with no control: {unknown}")
        unknown_matters = {*self.renewal_matters.values(), *filter(None, [self.subsidy_matter])} - set(self.matters)
        if unknown_matters:
            raise ValueError(f"the profile names matters it does not describe: {sorted(unknown_matters)}")
        if self.subsidy_policies and self.subsidy_matter is None:
            raise ValueError("subsidy_policies without a subsidy_matter to file them on")
        missing = {"application_no", "reference", "status", "decision"} - set(self.search.columns)
        if missing:
            raise ValueError(f"search.columns lacks {sorted(missing)}")
        return self


def load_profile(name_or_path: str | Path) -> SiteProfile:
    """A shipped profile by name (`standard`) or any profile file by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = SHIPPED / f"{name_or_path}.yaml"
    return load_yaml_model(path, SiteProfile)

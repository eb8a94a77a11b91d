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
    CASCADER = "cascader"  # 省/市/县 picked level by level (`path`), the rest of the value typed in `detail`
    # A file input (found by its label even when hidden, as el-upload hides it): the value is a PDF the bot made from
    # the case (bots.attachments), set on the input; `wait` says what shows once the platform has it.
    UPLOAD = "upload"


class Widget(StrEnum):
    """How a control is worked: the browser's own, or one a front end draws (Vue + Element and the like)."""

    NATIVE = "native"  # <input>, <select>, a radio or checkbox tied to its <label>: filled, selected, checked
    # Drawn by the page's script, worked as a person does: a read-only input that opens a list or a date panel
    # appended to <body>, a radio or checkbox whose visible label takes the click (the profile's `widgets` say
    # where those parts are); the value is read back from the widget after each choice.
    CUSTOM = "custom"


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
    widget: Widget = Widget.NATIVE
    values: dict[str, str] = Field(default_factory=dict)  # our value → the platform's words (否 → 无变化)
    path: list[str] = Field(default_factory=list)  # a cascader: the names picked, e.g. our county's 省/市/县
    detail: str | None = None  # a cascader: the label of the text item the rest of the value goes in
    # An upload sent at once by the page's script: what shows once the platform has the file (a file list item
    # marked done), found with the file's name in it; the platform's refusal shows as a message instead. None: the
    # file goes with the page's form (a plain <input type="file">).
    wait: str | None = None

    @model_validator(mode="after")
    def _findable(self) -> Control:
        if not self.label and not self.selector:
            raise ValueError("a control needs a label or a selector")
        if self.kind is Kind.CASCADER and not (self.path and self.detail):
            raise ValueError("a cascader needs the `path` it picks and the `detail` label for the rest")
        if self.wait is not None and self.kind is not Kind.UPLOAD:
            raise ValueError("only an upload has a `wait`: the other fields are read back from their control")
        return self

    def shown(self, value: str) -> str:
        """The platform's words for one of our values."""
        return self.values.get(value, value)

    def rest(self, value: str) -> str:
        """A cascader's value without the names its `path` picks, where it starts with them (an address that
        names its county, or also its province and city)."""
        for name in self.path:
            value = value.removeprefix(name)
        return value


class FormItems(_Strict):
    """Where a label is not tied to its input (no `for`, no nesting): the item that holds both, and the label in
    it; a control is then the input of the item whose label reads exactly so. Element UI's defaults."""

    item: str = ".el-form-item"
    label: str = ".el-form-item__label"


class Widgets(_Strict):
    """Where the parts of custom widgets are (Playwright selectors; Element UI 2's defaults). Lists and panels are
    looked for in the whole page: front ends append them to <body>, away from their input."""

    popper: str = ".el-popper"  # CSS: lists and panels; one must have closed before the next input is clicked
    option: str = ".el-select-dropdown:visible .el-select-dropdown__item"  # an option of the open list
    no_options: str = ".el-select-dropdown:visible .el-select-dropdown__empty"  # the open list's 加载中 / 无数据
    choice: str = ".el-radio, .el-checkbox"  # a radio or checkbox's visible label
    date_years: str = ".el-picker-panel:visible .el-date-picker__header-label >> nth=0"  # opens the year table
    date_earlier: str = ".el-picker-panel:visible [aria-label=前一年]"  # in the year table: ten years back
    date_later: str = ".el-picker-panel:visible [aria-label=后一年]"
    date_year: str = ".el-picker-panel:visible .el-year-table a.cell"
    date_month: str = ".el-picker-panel:visible .el-month-table a.cell"
    months: list[str] = Field(default_factory=lambda: [f"{n}月" for n in "一二三四五六七八九十"] + ["十一月", "十二月"])
    date_day: str = ".el-picker-panel:visible .el-date-table td.available"
    cascader_node: str = ".el-cascader__dropdown:visible .el-cascader-node"


class Table(_Strict):
    """A results table read by its parts, for lists drawn by a script: header and body may be separate <table>s
    (cells matched to headers by position), filled after load, paged. Without it, each <table>'s first row is
    its header. An empty table is a result only when `empty` shows it; a list that could not be read is never
    taken for "not found"."""

    header: str  # the header cells
    rows: str  # the body rows
    cells: str = "td"  # a row's cells
    loading: str | None = None  # shown while a page of rows is being fetched: read once it is hidden
    empty: str | None = None  # what the table shows when it has no rows
    next_page: str | None = None  # the pager's next button, disabled on the last page
    total: str | None = None  # the pager's count of all rows (its first number), checked against the rows read


class Page(_Strict):
    fields: list[str]
    button: str  # the button that leaves this page (下一步, or the submit button on the last page)
    # None: the button loads another page. Set: a single-page step; this selector shows once the next step (or
    # the result) is on screen, and the platform's refusal shows as a message instead.
    wait: str | None = None


class Confirm(_Strict):
    """A confirmation dialog after the last page's button (确认提交？): where it is and its button (确 定)."""

    dialog: str
    button: str


class Matter(_Strict):
    # Where a new application of this kind starts: opened directly, as the platform's own "new" link does, which
    # spares a page load of the search page per case.
    start_path: str
    pages: list[Page] = Field(min_length=1)
    success_heading: str
    number_pattern: str  # a regex with one group: the platform's application number on the success page
    duplicate_pattern: str  # the refusal of a reference already used, with the existing application's number
    confirm: Confirm | None = None


class Login(_Strict):
    path: str
    username: str  # label
    password: str  # label
    button: str
    expired_marker: str  # text the platform shows when a session has expired
    refused_marker: str  # text the platform shows when it refuses the account (wrong name or password)
    wait: str | None = None  # set: the login is a script's call; this selector shows once signed in


class Search(_Strict):
    path: str
    query: str  # label
    button: str
    # application_no, reference, status, decision and (optional) decided_at → the results table's header text
    columns: dict[str, str]
    decided_at_format: str = "%Y-%m-%d %H:%M"  # how the platform writes the decision time, in Beijing time
    statuses: dict[PlatformStatus, str]  # → the platform's wording
    return_prefix: str = ""  # what precedes the reason in a returned application's decision cell
    navigates: bool = True  # False: the search button refills the table in place (see `table.loading`)
    table: Table | None = None


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
    form_items: FormItems | None = None  # set: labels sit beside their inputs, not tied to them
    widgets: Widgets = Field(default_factory=Widgets)
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

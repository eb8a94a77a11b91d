"""Loading a county export: GBK detected, bad rows quarantined with reasons, changes ledgered, bad files refused."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, create_engine, func, select, text

from domain.licence_types import LicenceType
from domain.registries.checks import credit_code_check_char
from domain.registries.connectors import ExportUnreadable, read_export
from domain.registries.load import LoadReport, load_export
from domain.registries.mapping import Format, MappingError, load_mapping
from ground.store.tables import case_transitions, licence_events, licences, quarantine

NOW = datetime(2026, 11, 25, tzinfo=UTC)
HEADER = (
    "许可证编号,统一社会信用代码,许可证类型,经营者名称,经营场所,主体业态,经营项目,发证机关,"
    "发证日期,有效期起,有效期至,许可状态,联系电话"
)


def code(body: str) -> str:
    return body + credit_code_check_char(body)


GOOD = code("92150624MA0N00001")


def row(
    number: str = "JY21506240000001",
    credit: str = GOOD,
    expires: str = "2027-03-31",
    status: str = "有效",
    mobile: str = "13912345678",
    start: str = "2022-04-01",
) -> str:
    holder = "食品经营许可证,乌兰镇老王餐饮店,鄂托克旗乌兰镇,餐饮服务经营者,热食类食品制售,鄂托克旗市场监督管理局"
    return f"{number},{credit},{holder},{start},{start},{expires},{status},{mobile}"


def write(path: Path, lines: list[str], encoding: str = "gbk", header: str = HEADER) -> Path:
    path.write_bytes("\n".join([header, *lines, ""]).encode(encoding))
    return path


def load(store: Engine, types: dict[str, LicenceType], path: Path) -> LoadReport:
    return load_export(store, load_mapping("county_licences"), types, NOW, path)


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (row(credit=GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")), "bad credit code"),  # wrong check character
        (row(number="JY2150624000001"), "licence number not in the food_business format"),  # 13 digits
        (row(number="JY2150624000000A"), "licence number not in the food_business format"),
        (row(expires="2027-02-30"), "bad expires_on date"),  # no such day
        (row(expires="不详"), "bad expires_on date"),
        (row(expires="2021-01-01"), "expiry before start"),
        (row(number=""), "missing licence_no"),
        (row(status="待定"), "unknown status code"),
    ],
)
def test_a_bad_row_is_quarantined_with_its_reason_and_the_rest_loads(
    sqlite_store: Engine, licence_types: dict[str, LicenceType], tmp_path: Path, bad_row: str, reason: str
) -> None:
    path = write(tmp_path / "licences.csv", [row(number="JY21506240000009"), bad_row])

    report = load_export(sqlite_store, load_mapping("county_licences"), licence_types, NOW, path)

    assert (report.inserted, report.reasons) == (1, {reason: 1})
    with sqlite_store.connect() as connection:
        kept = connection.execute(select(quarantine.c.line, quarantine.c.raw)).one()
    assert kept.line == 3
    assert kept.raw["经营者名称"] == "乌兰镇老王餐饮店", "the raw row is kept whole, in its own column names"


def with_holder(name: str, address: str = "鄂托克旗乌兰镇") -> str:
    quoted = ['"' + text.replace('"', '""') + '"' for text in (name, address)]
    return row().replace("乌兰镇老王餐饮店,鄂托克旗乌兰镇", ",".join(quoted), 1)


@pytest.mark.parametrize(
    ("holder", "reason"),
    [
        ('=HYPERLINK("http://x.cn","点此领取补贴")', "holder_name looks like a spreadsheet formula"),
        ("@SUM(1+1)", "holder_name looks like a spreadsheet formula"),
        ("+cmd|' /C calc'!A0", "holder_name looks like a spreadsheet formula"),  # DDE: runs a program
        ("-2+3+cmd|' /C calc'!A0", "holder_name looks like a spreadsheet formula"),
        ("\t=1+1", "holder_name looks like a spreadsheet formula"),  # the tab is stripped, the formula is not
        ("老" * 5000, "holder_name over 200 characters"),
    ],
)
def test_a_formula_or_an_overlong_name_is_quarantined(
    sqlite_store: Engine, licence_types: dict[str, LicenceType], tmp_path: Path, holder: str, reason: str
) -> None:
    report = load(sqlite_store, licence_types, write(tmp_path / "licences.csv", [with_holder(holder)]))

    assert (report.inserted, report.reasons) == (0, {reason: 1})


@pytest.mark.parametrize(
    ("holder", "address"),
    [
        ("乌兰镇老王餐饮店（2-3号铺）", "鄂托克旗乌兰镇-团结路 3-2号"),  # dashes inside
        ("乌兰镇老王餐饮店", "-"),  # a dash for "none"
        ("乌兰镇老王餐饮店", "-1层"),  # a basement floor
        ("A+B便利店", "+86 0477 乌兰镇"),  # signs before digits, letters not after a sign
        ("老" * 200, "鄂托克旗" * 75),  # at the limits
    ],
)
def test_ordinary_names_and_addresses_with_signs_load(
    sqlite_store: Engine, licence_types: dict[str, LicenceType], tmp_path: Path, holder: str, address: str
) -> None:
    report = load(sqlite_store, licence_types, write(tmp_path / "licences.csv", [with_holder(holder, address)]))

    assert (report.inserted, report.quarantined) == (1, 0)


def multi_line(number: str) -> str:
    """A row whose address is a quoted field over two lines, as Excel writes a cell with a line break."""
    return row(number=number).replace("鄂托克旗乌兰镇,", '"鄂托克旗乌兰镇\n二号院",', 1)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_rows_the_parser_cannot_split_are_quarantined_with_their_lines_and_the_rest_loads(
    sqlite_store: Engine, licence_types: dict[str, LicenceType], tmp_path: Path, encoding: str
) -> None:
    path = write(
        tmp_path / "licences.csv",
        [
            row(number="JY21506240000001"),  # line 2
            multi_line("JY21506240000002"),  # lines 3-4
            "JY21506240000003,乌兰镇老李商店,有效",  # line 5: three columns of thirteen
            row(number="JY21506240000004") + ",多余一列",  # line 6: fourteen
            "JY21506240000005," + "长" * 1_100_000,  # line 7: over 2 MB in either encoding
            "",  # line 8: an empty line holds nothing to keep
            row(number="JY21506240000009"),  # line 9
        ],
        encoding,
    )

    report = load(sqlite_store, licence_types, path)

    assert report.inserted == 3
    with sqlite_store.connect() as connection:
        kept = connection.execute(select(licences.c.licence_no, licences.c.address).order_by("licence_no")).all()
        held = connection.execute(select(quarantine.c.line, quarantine.c.detail).order_by("line")).all()
    assert [number for number, _ in kept] == ["JY21506240000001", "JY21506240000002", "JY21506240000009"]
    assert kept[1].address == "鄂托克旗乌兰镇\n二号院"
    assert [tuple(entry) for entry in held] == [
        (5, "expected 13 columns, got 3"),
        (6, "expected 13 columns, got 14"),
        (7, f"{len(('长' * 1_100_000).encode(encoding)) + len('JY21506240000005,')} bytes, over the limit of 262144"),
    ]


def test_a_bad_row_after_a_multi_line_field_is_quarantined_with_its_physical_line(
    sqlite_store: Engine, licence_types: dict[str, LicenceType], tmp_path: Path
) -> None:
    bad_credit = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")
    path = write(
        tmp_path / "licences.csv",
        [multi_line("JY21506240000001"), multi_line("JY21506240000002"), row(credit=bad_credit)],
    )

    load(sqlite_store, licence_types, path)

    with sqlite_store.connect() as connection:
        assert connection.execute(select(quarantine.c.line, quarantine.c.reason)).one() == (6, "bad credit code")


def test_a_broken_row_keeps_its_text_in_the_quarantine(
    sqlite_store: Engine, licence_types: dict[str, LicenceType], tmp_path: Path
) -> None:
    path = write(tmp_path / "licences.csv", [row(), "JY21506240000003,乌兰镇老李商店,有效"])

    report = load(sqlite_store, licence_types, path)

    assert report.reasons == {"wrong number of columns": 1}
    with sqlite_store.connect() as connection:
        assert connection.execute(select(quarantine.c.raw)).scalar_one() == {
            "text": "JY21506240000003,乌兰镇老李商店,有效"
        }


def test_a_gbk_export_reads_the_same_as_a_utf8_one(
    sqlite_store: Engine, licence_types: dict[str, LicenceType], tmp_path: Path
) -> None:
    gbk = write(tmp_path / "gbk.csv", [row()], "gbk")
    report = load_export(sqlite_store, load_mapping("county_licences"), licence_types, NOW, gbk)

    utf8 = write(tmp_path / "utf8.csv", [row()], "utf-8-sig")
    again = load_export(sqlite_store, load_mapping("county_licences"), licence_types, NOW, utf8)

    assert (report.inserted, again.unchanged) == (1, 1)
    with sqlite_store.connect() as connection:
        assert connection.execute(select(licences.c.holder_name)).scalar_one() == "乌兰镇老王餐饮店"


def test_an_export_cut_off_mid_character_loads_every_whole_row_and_quarantines_the_cut_one(
    sqlite_store: Engine, licence_types: dict[str, LicenceType], tmp_path: Path
) -> None:
    whole = "\n".join([HEADER, row(), row(number="JY21506240000002"), ""]).encode("utf-8")
    cut = row(number="JY21506240000003").encode("utf-8")
    path = tmp_path / "licences.csv"
    path.write_bytes(whole + cut[: cut.index("乌".encode()) + 2])  # the writer died inside 乌

    report = load(sqlite_store, licence_types, path)

    assert (report.inserted, report.reasons) == (2, {"wrong number of columns": 1})


def test_a_row_of_many_quoted_lines_over_a_megabyte_is_refused_alone(
    sqlite_store: Engine, licence_types: dict[str, LicenceType], tmp_path: Path
) -> None:
    lines = "\n".join(["鄂托克旗乌兰镇" * 10_000] * 8)  # 8 lines of 210 kB, each under the line limit: 1.7 MB
    huge = row(number="JY21506240000002").replace("鄂托克旗乌兰镇,", f'"{lines}",', 1)
    path = write(tmp_path / "licences.csv", [row(), huge, row(number="JY21506240000003")], "utf-8")

    report = load(sqlite_store, licence_types, path)

    assert report.inserted == 2 and sum(report.reasons.values()) == 1


def test_a_gbk_export_without_a_final_line_break_keeps_its_last_character(tmp_path: Path) -> None:
    path = tmp_path / "licences.csv"  # 中 is D6 D0 in GBK: its last byte looks like a cut UTF-8 lead byte
    path.write_bytes("\n".join([HEADER, row(mobile="电话中")]).encode("gbk"))

    export = read_export(load_mapping("county_licences"), path)

    assert export.rows["联系电话"].tolist() == ["电话中"]


def test_a_bad_mobile_keeps_the_licence_and_records_why(
    sqlite_store: Engine, licence_types: dict[str, LicenceType], tmp_path: Path
) -> None:
    path = write(tmp_path / "licences.csv", [row(mobile="0477-6212345")])

    load_export(sqlite_store, load_mapping("county_licences"), licence_types, NOW, path)

    with sqlite_store.connect() as connection:
        stored = connection.execute(select(licences.c.mobile, licences.c.mobile_problem)).one()
    assert tuple(stored) == (None, "不是手机号码"), "a landline cannot take an SMS: the holder will get a letter"


def test_a_changed_row_updates_the_licence_and_leaves_a_ledger_entry(
    store: Engine, licence_types: dict[str, LicenceType], tmp_path: Path
) -> None:
    load_export(store, load_mapping("county_licences"), licence_types, NOW, write(tmp_path / "a.csv", [row()]))
    changed = write(tmp_path / "b.csv", [row(status="撤销")])

    report = load_export(store, load_mapping("county_licences"), licence_types, NOW, changed)

    assert (report.inserted, report.updated) == (0, 1)
    with store.connect() as connection:
        assert connection.execute(select(licences.c.status)).scalar_one() == "revoked"
        entry = connection.execute(select(case_transitions)).mappings().one()
    assert (entry["entity"], entry["entity_key"], entry["old_state"], entry["new_state"]) == (
        "licence",
        "JY21506240000001",
        "valid",
        "revoked",
    )
    assert entry["details"]["changed"]["status"] == ["valid", "revoked"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        ("编号,名称\nJY1,x\n".encode(), "are not in the export"),  # columns the mapping needs are missing
        (b"\x00\x01\x02\xff\xfe", "cannot decode"),  # not text in any encoding a registry uses
    ],
)
def test_an_unreadable_export_fails_clearly_and_changes_nothing(
    sqlite_store: Engine, licence_types: dict[str, LicenceType], tmp_path: Path, content: bytes, message: str
) -> None:
    load_export(sqlite_store, load_mapping("county_licences"), licence_types, NOW, write(tmp_path / "a.csv", [row()]))
    broken = tmp_path / "broken.csv"
    broken.write_bytes(content)

    with pytest.raises(ExportUnreadable, match=message):
        load_export(sqlite_store, load_mapping("county_licences"), licence_types, NOW, broken)
    with sqlite_store.connect() as connection:
        assert connection.execute(select(func.count()).select_from(licences)).scalar_one() == 1


def test_a_missing_export_file_is_named(
    licence_types: dict[str, LicenceType], sqlite_store: Engine, tmp_path: Path
) -> None:
    with pytest.raises(ExportUnreadable, match=r"nowhere\.csv"):
        load_export(sqlite_store, load_mapping("county_licences"), licence_types, NOW, tmp_path / "nowhere.csv")


def test_excel_parquet_and_sql_sources_load_the_same_rows_as_csv(
    licence_types: dict[str, LicenceType], tmp_path: Path
) -> None:
    frame = pd.read_csv(write(tmp_path / "l.csv", [row(), row(number="JY21506240000002")]), encoding="gbk", dtype=str)
    frame.to_excel(tmp_path / "l.xlsx", index=False)
    frame.to_parquet(tmp_path / "l.parquet")
    registry = create_engine(f"sqlite:///{tmp_path / 'registry.db'}")
    frame.to_sql("licence_view", registry, index=False)
    base = load_mapping("county_licences")
    results = {}
    for fmt, kwargs in [
        (Format.CSV, {"path": tmp_path / "l.csv"}),
        (Format.EXCEL, {"path": tmp_path / "l.xlsx"}),
        (Format.PARQUET, {"path": tmp_path / "l.parquet"}),
        (Format.SQL, {"url": f"sqlite:///{tmp_path / 'registry.db'}", "query": "SELECT * FROM licence_view"}),
    ]:
        engine = create_engine(f"sqlite:///{tmp_path / f'{fmt}.db'}")
        from ground.store import migrate

        migrate(engine)
        load_export(engine, base.model_copy(update={"format": fmt}), licence_types, NOW, **kwargs)  # type: ignore[arg-type]
        with engine.connect() as connection:
            results[fmt] = connection.execute(text("SELECT licence_no, expires_on, row_hash FROM licences")).all()
    assert len(results[Format.CSV]) == 2
    assert all(rows == results[Format.CSV] for rows in results.values())


def test_a_mapping_naming_an_unknown_code_is_refused_with_its_file(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "name: x\ndescription: d\ntarget: licences\nfields:\n  licence_no: {column: a}\n  subject_key: {column: b}\n"
        "  licence_type: {value: food_business}\n  holder_name: {column: c}\n"
        "  expires_on: {column: d, date_format: '%Y-%m-%d'}\n  status: {column: e, codes: {A: alive}}\n",
        encoding="utf-8",
    )
    with pytest.raises(MappingError, match=r"m\.yaml.*status.*unknown codes \['alive'\]"):
        load_mapping(path)


def test_an_events_export_without_subject_or_severity_loads_and_reloads_nothing(
    sqlite_store: Engine, licence_types: dict[str, LicenceType], tmp_path: Path
) -> None:
    """Both fields are optional for events: a source that has neither loads, and its reload is recognised."""
    mapping = tmp_path / "bare_events.yaml"
    mapping.write_text(
        "name: bare_events\ndescription: events with no subject or severity\ntarget: licence_events\nformat: csv\n"
        "fields:\n"
        "  licence_no: {column: 许可证编号}\n  kind: {column: 事件类型, codes: {日常检查: inspection}}\n"
        '  occurred_on: {column: 事件日期, date_format: "%Y-%m-%d"}\n  outcome: {column: 结果}\n',
        encoding="utf-8",
    )
    export = write(
        tmp_path / "events.csv",
        ["JY21506240000009,日常检查,2024-05-01,符合", "JY21506240000009,日常检查,2025-05-01,不符合"],
        header="许可证编号,事件类型,事件日期,结果",
    )

    first = load_export(sqlite_store, load_mapping(mapping), licence_types, NOW, export)
    again = load_export(sqlite_store, load_mapping(mapping), licence_types, NOW, export)

    assert (first.inserted, again.inserted) == (2, 0)


def attributes_mapping(path: Path) -> Path:
    path.write_text(
        "name: graded_events\ndescription: inspections with typed attributes\ntarget: licence_events\n"
        "fields:\n"
        "  licence_no: {column: 许可证编号}\n  kind: {column: 事件类型, codes: {日常检查: inspection}}\n"
        '  occurred_on: {column: 事件日期, date_format: "%Y-%m-%d"}\n'
        "attributes:\n"
        "  nonconformities: {column: 不符合项数, type: number}\n"
        "  risk_grade: {column: 风险等级, type: category, codes: {A级: A, B级: B, C级: C, D级: D}}\n"
        '  rectified_on: {column: 整改日期, type: date, date_format: "%Y-%m-%d"}\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        ("JY21506240000009,日常检查,2025-05-01,三,B级,", "bad nonconformities number"),
        ("JY21506240000009,日常检查,2025-05-01,1,E级,", "unknown risk_grade code"),
        ("JY21506240000009,日常检查,2025-05-01,1,B级,2025-02-30", "bad rectified_on date"),
    ],
)
def test_typed_attributes_load_and_a_bad_value_quarantines_only_its_row(
    store: Engine, licence_types: dict[str, LicenceType], tmp_path: Path, bad_row: str, reason: str
) -> None:
    export = write(
        tmp_path / "events.csv",
        [
            "JY21506240000009,日常检查,2024-05-01,2,C级,2024-05-20",
            "JY21506240000009,日常检查,2024-05-01,0,C级,",
            bad_row,
        ],
        header="许可证编号,事件类型,事件日期,不符合项数,风险等级,整改日期",
    )
    mapping = load_mapping(attributes_mapping(tmp_path / "graded.yaml"))

    report = load_export(store, mapping, licence_types, NOW, export)
    again = load_export(store, mapping, licence_types, NOW, export)

    assert (report.inserted, report.reasons, again.inserted) == (2, {reason: 1}, 0)
    with store.connect() as connection:
        stored = connection.execute(select(licence_events.c.attributes).order_by(licence_events.c.id)).scalars()
        kept_line = connection.execute(select(quarantine.c.line)).scalar_one()
    assert list(stored) == [
        {"nonconformities": 2.0, "risk_grade": "C", "rectified_on": "2024-05-20"},
        {"nonconformities": 0.0, "risk_grade": "C"},
    ], "two inspections on one day differing only by their counts are two events"
    assert kept_line == 4


def test_an_export_without_an_attributes_column_loads_without_that_attribute(
    sqlite_store: Engine, licence_types: dict[str, LicenceType], tmp_path: Path
) -> None:
    """An older export (or another county's) that lacks a column only an attribute names still loads: the attribute
    is missing on every row. A canonical field's column missing is still an unreadable export."""
    export = write(
        tmp_path / "events.csv",
        ["JY21506240000009,日常检查,2024-05-01,2", "JY21506240000009,日常检查,2024-06-01,0"],
        header="许可证编号,事件类型,事件日期,不符合项数",
    )
    mapping = load_mapping(attributes_mapping(tmp_path / "graded.yaml"))

    report = load_export(sqlite_store, mapping, licence_types, NOW, export)

    assert (report.inserted, report.quarantined) == (2, 0)
    with sqlite_store.connect() as connection:
        stored = connection.execute(select(licence_events.c.attributes).order_by(licence_events.c.id)).scalars()
    assert list(stored) == [{"nonconformities": 2.0}, {"nonconformities": 0.0}]


def test_a_date_attribute_without_a_format_is_refused_with_its_file(tmp_path: Path) -> None:
    path = attributes_mapping(tmp_path / "graded.yaml")
    path.write_text(
        path.read_text(encoding="utf-8").replace('type: date, date_format: "%Y-%m-%d"', "type: date"), encoding="utf-8"
    )
    with pytest.raises(MappingError, match=r"graded\.yaml.*attribute 'rectified_on' needs a 'date_format'"):
        load_mapping(path)

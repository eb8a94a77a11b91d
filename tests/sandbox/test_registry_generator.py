"""The county generator writes realistic, reproducible registry exports with counted broken rows."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from sandbox.registry import (
    EVENTS_FILE,
    LICENCES_FILE,
    SUBJECTS_FILE,
    CountySummary,
    credit_code_check_char,
    generate_county,
    is_valid_credit_code,
    org_code_check_char,
)
from sandbox.registry.__main__ import main

AS_OF = date(2026, 11, 25)
LICENCES = 5_000
JY_NUMBER = re.compile(r"^JY\d{14}$")


@dataclass(frozen=True)
class County:
    summary: CountySummary
    subjects: pd.DataFrame
    licences: pd.DataFrame
    events: pd.DataFrame


def read_county(summary: CountySummary) -> County:
    def read(name: str, encoding: str) -> pd.DataFrame:
        return pd.read_csv(summary.out_dir / name, encoding=encoding, dtype=str, keep_default_na=False)

    return County(
        summary=summary,
        subjects=read(SUBJECTS_FILE, "gbk"),
        licences=read(LICENCES_FILE, "utf-8-sig"),
        events=read(EVENTS_FILE, "utf-8"),
    )


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> County:
    return read_county(generate_county(tmp_path_factory.mktemp("county"), LICENCES, seed=7, as_of=AS_OF))


def file_bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in (SUBJECTS_FILE, LICENCES_FILE, EVENTS_FILE)}


def dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")


def add_years(day: pd.Timestamp, years: int) -> pd.Timestamp:
    """The generator's rule: same month and day, 29 February rolling to 1 March in a non-leap year."""
    first_of_month = day.replace(day=1, year=day.year + years)
    return first_of_month + timedelta(days=day.day - 1)


# --- reproducibility -------------------------------------------------------------------------------------


def test_the_same_seed_writes_identical_bytes(tmp_path: Path) -> None:
    generate_county(tmp_path / "a", 1_000, seed=3)
    generate_county(tmp_path / "b", 1_000, seed=3)
    assert file_bytes(tmp_path / "a") == file_bytes(tmp_path / "b")


def test_a_different_seed_writes_different_files(tmp_path: Path) -> None:
    generate_county(tmp_path / "a", 1_000, seed=3)
    generate_county(tmp_path / "b", 1_000, seed=4)
    first, second = file_bytes(tmp_path / "a"), file_bytes(tmp_path / "b")
    assert all(first[name] != second[name] for name in first)


# --- counts -----------------------------------------------------------------------------------------------


def test_row_counts_match_the_summary(county: County) -> None:
    s = county.summary
    assert len(county.subjects) == s.subject_rows == s.subjects + s.subject_breakage.exact_duplicate
    duplicates = s.licence_breakage.exact_duplicate + s.licence_breakage.conflicting_duplicate
    assert len(county.licences) == s.licence_rows == LICENCES + duplicates
    assert len(county.events) == s.event_rows
    assert (county.events["事件类型"] == "延续").sum() == s.renewal_outcomes.total


def test_the_header_lines_are_the_contracted_ones(county: County) -> None:
    def header(name: str, encoding: str) -> str:
        return (county.summary.out_dir / name).read_bytes().decode(encoding).splitlines()[0]

    assert header(SUBJECTS_FILE, "gbk") == (
        "统一社会信用代码,主体名称,主体类型,法定代表人,住所,乡镇,行业代码,从业人数,上年营业收入(万元),"
        "纳税信用等级,高新技术企业,成立日期,登记状态,联系电话,经营异常名录,严重违法失信名单,"
        "研发费用占营业收入比例(%),上年纳税总额(万元),上年新增贷款(万元),上年新招用高校毕业生人数,"
        "高新技术企业认定日期,专精特新中小企业认定日期,科技型中小企业入库日期,乡村旅游接待户星级,星级评定日期,"
        "开户银行,银行账号"
    )
    assert header(LICENCES_FILE, "utf-8-sig") == (
        "许可证编号,统一社会信用代码,许可证类型,经营者名称,经营场所,主体业态,经营项目,发证机关,发证日期,"
        "有效期起,有效期至,许可状态,联系电话,风险等级"
    )
    assert header(EVENTS_FILE, "utf-8") == "许可证编号,统一社会信用代码,事件类型,事件日期,结果,严重程度,说明,不符合项数"


def test_each_subject_holds_one_to_three_licences_most_only_one(county: County) -> None:
    rows = county.licences.drop_duplicates("许可证编号")
    rows = rows[rows["许可证编号"] != ""]
    per_subject = rows.groupby("统一社会信用代码").size()
    assert per_subject.max() <= 3
    assert (per_subject == 1).mean() > 0.7


def test_about_eight_events_are_written_per_licence(county: County) -> None:
    assert 7 <= county.summary.event_rows / LICENCES <= 9


# --- credit codes -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "914403001922038216",  # 华为技术有限公司 (organisation code 19220382-1)
        "9144030071526726XG",  # 腾讯科技（深圳）有限公司 (organisation code 71526726-X)
        "91330100799655058B",  # 阿里巴巴（中国）有限公司 (organisation code 79965505-8)
    ],
)
def test_the_check_characters_match_published_credit_codes(code: str) -> None:
    assert credit_code_check_char(code[:17]) == code[17]
    assert org_code_check_char(code[8:16]) == code[16]
    assert is_valid_credit_code(code)


def test_a_hand_worked_check_character() -> None:
    # 9 1 1 5 0 6 2 4 0 0 0 0 0 0 0 0 0 weighted by 1 3 9 27 19 26 16 17 20 … :
    # 9 + 3 + 9 + 135 + 0 + 156 + 32 + 68 = 412; 412 mod 31 = 9; 31 - 9 = 22 -> 'N' (the 23rd of the set).
    assert credit_code_check_char("91150624000000000") == "N"
    # GB 11714: 1·3 + 2·7 + 3·9 + 4·10 + 5·5 + 6·8 + 7·4 + 8·2 = 201; 201 mod 11 = 3; 11 - 3 = 8.
    assert org_code_check_char("12345678") == "8"
    assert not is_valid_credit_code("91150624000000000A")


def test_a_wrong_character_set_is_refused() -> None:
    with pytest.raises(ValueError, match="GB 32100"):
        credit_code_check_char("9115062400000000I")


def test_every_credit_code_not_deliberately_broken_has_a_valid_check_character(county: County) -> None:
    subject_codes = county.subjects["统一社会信用代码"]
    licence_codes = county.licences["统一社会信用代码"]
    assert (~subject_codes.map(is_valid_credit_code)).sum() == county.summary.subject_breakage.bad_check_char
    assert (~licence_codes.map(is_valid_credit_code)).sum() == county.summary.licence_breakage.bad_check_char


def test_generated_codes_agree_with_the_scalar_rules(county: County) -> None:
    codes = county.subjects["统一社会信用代码"].sample(300, random_state=1)
    valid = codes[codes.map(is_valid_credit_code)]
    assert len(valid) > 280
    for code in valid:
        assert credit_code_check_char(code[:17]) == code[17]
        assert org_code_check_char(code[8:16]) == code[16]


def test_codes_are_unique_carry_the_region_and_the_subject_kind(county: County) -> None:
    subjects = county.subjects.drop_duplicates()
    codes = subjects["统一社会信用代码"]
    assert codes.is_unique
    assert codes.str[2:8].eq("150624").all()
    kind = codes.str[1].map({"1": "企业", "2": "个体工商户"})
    assert kind.eq(subjects["主体类型"]).all()
    assert 0.6 < (subjects["主体类型"] == "个体工商户").mean() < 0.8


# --- encodings and formats --------------------------------------------------------------------------------


def test_subjects_csv_decodes_as_gbk_and_not_as_utf8(county: County) -> None:
    raw = (county.summary.out_dir / SUBJECTS_FILE).read_bytes()
    assert raw.decode("gbk").startswith("统一社会信用代码,")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_licences_csv_has_a_bom_and_events_csv_has_none(county: County) -> None:
    assert (county.summary.out_dir / LICENCES_FILE).read_bytes().startswith(b"\xef\xbb\xbf\xe8\xae\xb8")
    assert (county.summary.out_dir / EVENTS_FILE).read_bytes().startswith("许可证编号".encode())


def test_food_numbers_match_jy_and_14_digits_except_the_broken_ones(county: County) -> None:
    food = county.licences[county.licences["许可证类型"] == "食品经营许可证"]["许可证编号"]
    malformed = food[(food != "") & ~food.str.match(JY_NUMBER)]
    assert len(malformed) == county.summary.licence_breakage.bad_number
    assert malformed.str.len().isin([15, 16]).all()


def test_every_type_has_its_own_number_format(county: County) -> None:
    numbers = county.licences[county.licences["许可证编号"] != ""]
    tobacco = numbers[numbers["许可证类型"] == "烟草专卖零售许可证"]["许可证编号"]
    drug = numbers[numbers["许可证类型"] == "药品经营许可证"]["许可证编号"]
    assert tobacco.str.fullmatch(r"1506240\d{8}").all()
    assert drug.str.fullmatch(r"蒙[CD][AB]\d{7}").all()
    assert numbers["许可证编号"].duplicated().sum() == (
        county.summary.licence_breakage.exact_duplicate + county.summary.licence_breakage.conflicting_duplicate
    )


def test_licence_types_and_issuers_have_realistic_shares(county: County) -> None:
    share = county.licences["许可证类型"].value_counts(normalize=True)
    assert share["食品经营许可证"] == pytest.approx(0.80, abs=0.04)
    assert share["烟草专卖零售许可证"] == pytest.approx(0.12, abs=0.03)
    assert share["药品经营许可证"] == pytest.approx(0.08, abs=0.03)
    issuer = county.licences["发证机关"].where(county.licences["许可证类型"] != "烟草专卖零售许可证", "")
    assert set(issuer) == {"鄂托克旗市场监督管理局", ""}


def test_food_items_fit_the_business_format(county: County) -> None:
    rows = county.licences
    food = rows["许可证类型"] == "食品经营许可证"
    assert (rows.loc[~food, ["主体业态", "经营项目"]] == "").all().all()
    catering = rows[rows["主体业态"].isin(["餐饮服务经营者", "单位食堂"])]["经营项目"]
    selling = rows[rows["主体业态"] == "食品销售经营者"]["经营项目"]
    assert catering.str.contains("制售").all()
    assert selling.str.contains("销售").all()


def test_phones_are_mostly_mobiles_some_missing_some_unusable(county: County) -> None:
    phone = county.subjects["联系电话"]
    missing = (phone == "").mean()
    mobile = phone.str.fullmatch(r"1[3-9]\d{9}").mean()
    assert missing == pytest.approx(0.05, abs=0.015)
    assert 1 - missing - mobile == pytest.approx(0.02, abs=0.01)


# --- dates ------------------------------------------------------------------------------------------------


def test_every_licence_is_valid_for_five_years_except_the_broken_ones(county: County) -> None:
    rows = county.licences
    start, end, issued = dates(rows["有效期起"]), dates(rows["有效期至"]), dates(rows["发证日期"])
    unparseable = start.isna() | end.isna() | issued.isna()
    assert unparseable.sum() == county.summary.licence_breakage.bad_date
    reversed_term = ~unparseable & (end < start)
    assert reversed_term.sum() == county.summary.licence_breakage.end_before_start
    clean = ~unparseable & ~reversed_term
    expected_end = start[clean].map(lambda d: add_years(d, 5) - timedelta(days=1))
    assert (end[clean] == expected_end).all()
    assert (issued[clean] == start[clean]).all()


def test_expiries_spread_evenly_over_the_next_five_years(county: County) -> None:
    rows = county.licences[~county.licences["许可证编号"].duplicated(keep=False)]
    start, end = dates(rows["有效期起"]), dates(rows["有效期至"])
    end = end[end > start]  # leaves out unparseable dates and reversed terms
    as_of = pd.Timestamp(AS_OF)
    assert end.min() >= as_of - pd.Timedelta(days=200)
    assert end.max() < as_of + pd.Timedelta(days=5 * 366)
    expired = (end < as_of).mean()
    assert 0.02 < expired < 0.12
    years_ahead = ((end[end >= as_of] - as_of).dt.days // 365).value_counts(normalize=True)
    for year in range(4):
        assert years_ahead[year] == pytest.approx(0.2, abs=0.04)


def test_events_lie_within_twelve_years_before_the_as_of_date(county: County) -> None:
    day = dates(county.events["事件日期"]).dropna()
    as_of = pd.Timestamp(AS_OF)
    assert day.max() < as_of
    assert day.min() >= as_of - pd.Timedelta(days=round(12 * 365.25)) - pd.Timedelta(days=3)


# --- history and the hidden renewal process ---------------------------------------------------------------


def clean_renewals(events: pd.DataFrame) -> pd.DataFrame:
    """延续 events (with a date) and whether the history before each was clean, judged from events.csv alone:
    in the 5 years before the renewal no 行政处罚, no 日常检查 不符合 or 基本符合, no 投诉举报 属实 and no 登记变更
    (the term being renewed lies within those 5 years), and the subject never 列入经营异常名录 up to that day.
    Problems dated on the renewal day itself count, as do problems whose date is unreadable."""
    events = events.assign(day=dates(events["事件日期"]))
    renewals = events[(events["事件类型"] == "延续") & events["day"].notna()].reset_index()
    kind, result = events["事件类型"], events["结果"]
    problem = (
        kind.isin(["行政处罚", "登记变更"])
        | ((kind == "日常检查") & result.isin(["不符合", "基本符合"]))
        | ((kind == "投诉举报") & (result == "属实"))
    )
    problems = events.loc[problem, ["许可证编号", "day"]]
    listings = events.loc[kind == "列入经营异常名录", ["统一社会信用代码", "day"]]
    on_licence = renewals.merge(problems, on="许可证编号", suffixes=("", "_p"))
    recent = on_licence["day_p"].isna() | (
        (on_licence["day_p"] <= on_licence["day"])
        & (on_licence["day_p"] >= on_licence["day"] - pd.Timedelta(days=5 * 366))
    )
    on_subject = renewals.merge(listings, on="统一社会信用代码", suffixes=("", "_l"))
    listed = on_subject["day_l"].isna() | (on_subject["day_l"] <= on_subject["day"])
    troubled = set(on_licence.loc[recent, "index"]) | set(on_subject.loc[listed, "index"])
    return renewals.assign(clean=~renewals["index"].isin(troubled))


@pytest.fixture(scope="module")
def large_county(tmp_path_factory: pytest.TempPathFactory) -> County:
    return read_county(generate_county(tmp_path_factory.mktemp("large"), 30_000, seed=13, as_of=AS_OF))


def test_renewal_outcomes_are_about_70_22_8(county: County, large_county: County) -> None:
    outcome = county.events[county.events["事件类型"] == "延续"]["结果"].value_counts(normalize=True)
    assert outcome["准予延续"] == pytest.approx(0.70, abs=0.04)
    assert outcome["补正后准予"] == pytest.approx(0.22, abs=0.04)
    assert outcome["不予延续"] == pytest.approx(0.08, abs=0.03)
    assert county.summary.renewal_outcomes.total > 0.5 * LICENCES
    s = large_county.summary.renewal_outcomes
    assert s.approved / s.total == pytest.approx(0.70, abs=0.02)
    assert s.approved_after_correction / s.total == pytest.approx(0.22, abs=0.02)
    assert s.refused / s.total == pytest.approx(0.08, abs=0.015)


def test_clean_histories_are_renewed_as_filed_almost_always(large_county: County) -> None:
    renewals = clean_renewals(large_county.events)
    clean = renewals[renewals["clean"]]["结果"]
    troubled = renewals[~renewals["clean"]]["结果"]
    assert len(clean) > 3_000
    assert (clean == "准予延续").mean() >= 0.99
    assert (clean == "不予延续").mean() < 0.002
    # Whatever is not clean carries the noise: it is approved as filed far less often, and refused more.
    assert (troubled == "准予延续").mean() < 0.7
    assert (troubled == "不予延续").mean() > 0.08


def test_renewals_go_worse_after_penalties_or_failed_inspections(county: County) -> None:
    events = county.events.assign(day=dates(county.events["事件日期"])).dropna(subset=["day"])
    renewals = events[events["事件类型"] == "延续"]
    trouble = events[(events["事件类型"] == "行政处罚") | (events["结果"] == "不符合")]
    paired = renewals.reset_index().merge(trouble[["许可证编号", "day"]], on="许可证编号", suffixes=("", "_t"))
    window = (paired["day_t"] < paired["day"]) & (paired["day_t"] >= paired["day"] - pd.Timedelta(days=3 * 365))
    troubled = renewals.index.isin(paired.loc[window, "index"])
    approved = renewals["结果"] == "准予延续"
    refused = renewals["结果"] == "不予延续"
    assert approved[troubled].mean() < approved[~troubled].mean() - 0.15
    assert refused[troubled].mean() > 2 * refused[~troubled].mean()


def test_subject_level_events_are_the_abnormal_list_ones_without_a_licence_number(county: County) -> None:
    events = county.events
    no_number = events["许可证编号"] == ""
    assert set(events.loc[no_number, "事件类型"]) == {"列入经营异常名录", "移出经营异常名录"}
    assert set(events.loc[~no_number, "事件类型"]) == {"日常检查", "行政处罚", "登记变更", "投诉举报", "延续"}


def test_the_abnormal_list_flag_matches_the_listing_events(county: County) -> None:
    events = county.events
    listed = set(events.loc[events["事件类型"] == "列入经营异常名录", "统一社会信用代码"])
    lifted = set(events.loc[events["事件类型"] == "移出经营异常名录", "统一社会信用代码"])
    subjects = county.subjects.drop_duplicates("统一社会信用代码")
    flagged = set(subjects.loc[subjects["经营异常名录"] == "是", "统一社会信用代码"])
    bad_codes = set(subjects.loc[~subjects["统一社会信用代码"].map(is_valid_credit_code), "统一社会信用代码"])
    expected = listed - lifted
    assert len(flagged - expected) <= len(bad_codes)
    assert len(expected - flagged) <= len(bad_codes)
    assert len(flagged) > 0


def test_event_vocabularies_are_the_contracted_ones(county: County) -> None:
    by_type = county.events.groupby("事件类型")
    results = by_type["结果"].agg(set).to_dict()
    assert results["日常检查"] == {"符合", "基本符合", "不符合"}
    assert results["行政处罚"] == {"已结案", "未结案"}
    assert results["投诉举报"] == {"属实", "不属实"}
    assert results["延续"] == {"准予延续", "补正后准予", "不予延续"}
    severities = by_type["严重程度"].agg(set).to_dict()
    assert severities.pop("行政处罚") == {"一般", "较重", "严重"}
    assert all(s == {""} for s in severities.values())
    assert by_type["说明"].agg(set)["登记变更"] == {"住所变更", "法定代表人变更", "经营范围变更"}


def test_food_licences_carry_a_risk_grade_that_follows_how_their_renewals_went(county: County) -> None:
    licences = county.licences[county.licences["许可证编号"] != ""]
    food = licences["许可证类型"] == "食品经营许可证"
    assert set(licences.loc[~food, "风险等级"]) == {""}
    shares = licences.loc[food, "风险等级"].value_counts(normalize=True)
    assert set(shares.index) == {"A级", "B级", "C级", "D级"} and shares["A级"] > shares["D级"] > 0.02
    renewals = county.events[county.events["事件类型"] == "延续"]
    graded = renewals.merge(licences[["许可证编号", "风险等级"]], on="许可证编号")
    as_filed = graded.groupby("风险等级")["结果"].agg(lambda outcome: (outcome == "准予延续").mean())
    assert as_filed["A级"] > as_filed["B级"] > as_filed["D级"]


def test_inspections_count_their_non_conformities_more_when_they_failed(county: County) -> None:
    inspections = county.events[county.events["事件类型"] == "日常检查"]
    counts = pd.to_numeric(inspections["不符合项数"]).groupby(inspections["结果"])
    lowest, mean = counts.min().to_dict(), counts.mean().to_dict()
    assert mean["符合"] == 0
    assert lowest["基本符合"] >= 1 and mean["基本符合"] < mean["不符合"]
    assert set(county.events.loc[county.events["事件类型"] != "日常检查", "不符合项数"]) == {""}


def test_deregistered_subjects_licences_are_mostly_but_not_all_cancelled(tmp_path: Path) -> None:
    c = read_county(generate_county(tmp_path, 10_000, seed=11))
    status = c.subjects.drop_duplicates("统一社会信用代码").set_index("统一社会信用代码")["登记状态"]
    licences = c.licences.assign(subject_status=c.licences["统一社会信用代码"].map(status))
    gone = licences[licences["subject_status"] == "注销"]["许可状态"]
    assert (gone == "注销").mean() > 0.75
    assert (gone == "有效").sum() > 0
    share = c.licences["许可状态"].value_counts(normalize=True)
    assert share["有效"] > 0.94
    assert {"注销", "撤销", "吊销"} <= set(share.index)


# --- broken rows ------------------------------------------------------------------------------------------


def test_broken_rows_of_every_kind_are_present_and_counted(county: County) -> None:
    s = county.summary
    for breakage in (s.subject_breakage, s.licence_breakage, s.event_breakage):
        for field in fields(breakage):
            assert getattr(breakage, field.name) >= 1, field.name
    assert s.licence_breakage.total == pytest.approx(0.01 * LICENCES, abs=7)
    assert (county.licences["许可证编号"] == "").sum() == s.licence_breakage.missing_number
    assert county.subjects.duplicated().sum() == s.subject_breakage.exact_duplicate
    assert county.licences.duplicated().sum() == s.licence_breakage.exact_duplicate
    numbered = county.licences[county.licences["许可证编号"] != ""].drop_duplicates()
    assert numbered["许可证编号"].duplicated().sum() == s.licence_breakage.conflicting_duplicate


def test_broken_events_are_counted(county: County) -> None:
    events = county.events
    assert dates(events["事件日期"]).isna().sum() == county.summary.event_breakage.bad_date
    known = set(county.licences["许可证编号"])
    unknown = events[(events["许可证编号"] != "") & ~events["许可证编号"].isin(known)]
    made_up = unknown["许可证编号"].str.fullmatch(r"JY\d1506249\d{6}")
    assert made_up.sum() == county.summary.event_breakage.unknown_licence
    # The others are events of licences whose row in licences.csv lost or mangled its number.
    licences = county.licences
    mangled = licences[(licences["许可证编号"] == "") | ~licences["许可证编号"].str.match(r"^(JY\d{14}|\d{15}|蒙)")]
    assert unknown.loc[~made_up, "统一社会信用代码"].isin(set(mangled["统一社会信用代码"])).all()


def test_no_broken_rows_are_written_when_the_share_is_zero(tmp_path: Path) -> None:
    c = read_county(generate_county(tmp_path, 1_000, seed=5, broken_share=0.0))
    s = c.summary
    assert s.subject_breakage.total == s.licence_breakage.total == s.event_breakage.total == 0
    assert c.subjects["统一社会信用代码"].map(is_valid_credit_code).all()
    assert c.licences["许可证编号"].is_unique
    assert dates(c.events["事件日期"]).notna().all()


def test_a_tiny_county_still_works(tmp_path: Path) -> None:
    summary = generate_county(tmp_path, 3, seed=1)
    assert summary.licences == 3
    assert summary.licence_rows == 3 + summary.licence_breakage.exact_duplicate + (
        summary.licence_breakage.conflicting_duplicate
    )


# --- command line -----------------------------------------------------------------------------------------


def test_the_command_line_writes_the_files_and_prints_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--licences", "1000", "--seed", "2", "--out", str(tmp_path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["licences"] == 1000
    assert report["licence_rows"] == len(pd.read_csv(tmp_path / LICENCES_FILE, encoding="utf-8-sig", dtype=str))


# --- the subsidy policies' facts -------------------------------------------------------------------------


def test_certificates_are_held_by_the_right_subjects_and_granted_after_founding(county: County) -> None:
    s = county.subjects
    high_tech_dated = s["高新技术企业认定日期"] != ""
    assert high_tech_dated.eq(s["高新技术企业"] == "是").all()
    for column in ("高新技术企业认定日期", "专精特新中小企业认定日期", "科技型中小企业入库日期", "星级评定日期"):
        granted = dates(s.loc[s[column] != "", column])
        assert (granted <= pd.Timestamp(AS_OF)).all(), column
        assert (granted > dates(s.loc[granted.index, "成立日期"])).all(), column
    assert (s.loc[s["专精特新中小企业认定日期"] != "", "主体类型"] == "企业").all()
    assert (s["乡村旅游接待户星级"] != "").eq(s["星级评定日期"] != "").all()


def test_rd_shares_are_for_enterprises_and_high_tech_ones_spend_at_least_three_percent(county: County) -> None:
    s = county.subjects
    assert (s.loc[s["主体类型"] == "个体工商户", "研发费用占营业收入比例(%)"] == "").all()
    high_tech = pd.to_numeric(s.loc[s["高新技术企业"] == "是", "研发费用占营业收入比例(%)"])
    assert (high_tech >= 3).all()
    enterprise_rd = pd.to_numeric(s.loc[s["主体类型"] == "企业", "研发费用占营业收入比例(%)"])
    assert 0.03 < (enterprise_rd > 0).mean() < 0.3


def test_most_individual_businesses_pay_no_tax_and_enterprises_some(county: County) -> None:
    s = county.subjects
    paid = pd.to_numeric(s["上年纳税总额(万元)"])
    individual = s["主体类型"] == "个体工商户"
    assert (paid[individual] == 0).mean() == pytest.approx(0.7, abs=0.05)
    assert (paid[~individual] > 0).all()

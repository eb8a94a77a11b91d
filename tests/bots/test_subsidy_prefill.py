"""The pre-fill bot on subsidy cases: one disbursement application per case, from the case and the registry, with
the trace for the approver; the same crash safety as renewals."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import Engine, select

from bots.prefill import prefill_seamless
from bots.status_sync import sync_statuses
from ground.store.tables import bot_attempts, case_transitions
from sandbox.platform.server import serving
from sandbox.platform.settings import PlatformSettings
from sandbox.scripted_approver import decide_all
from tests.bots.conftest import FAST, PASSWORD, World, now, prefill_killed_at
from tests.subsidies.world import add_subject, add_subsidy_case


def applications(base_url: str) -> list[dict[str, object]]:
    return list(httpx.get(f"{base_url}/_sandbox/applications").json())


def test_a_subsidy_case_is_filed_once_with_its_policy_amount_and_account_and_a_rerun_files_nothing(
    store: Engine, tmp_path: Path, platform_url: str
) -> None:
    world = World(store, tmp_path)
    key = add_subject(store, 1)
    case_id = add_subsidy_case(store, key)

    first = prefill_seamless(store, world.platform(platform_url), FAST, now)
    second = prefill_seamless(store, world.platform(platform_url), FAST, now)

    assert (first.outcomes, second.cases) == ({"filed": 1}, 0)
    [filed] = applications(platform_url)
    case = world.case(case_id)
    assert (case["state"], case["application_no"]) == ("prefilled", filed["application_no"])
    assert filed["matter"] == "subsidy" and filed["reference"] == case["platform_ref"] == f"PA-{case_id:08d}"
    data = filed["data"]
    assert isinstance(data, dict)
    assert {name: data[name] for name in ("company_name", "credit_code", "policy", "amount", "bank", "account")} == {
        "company_name": "鄂托克旗第1号科技有限公司",
        "credit_code": key,
        "policy": "高新技术企业认定奖励",
        "amount": "200000",
        "bank": "中国工商银行鄂托克旗支行",
        "account": "0605000000000000001",
    }
    assert (data["contact_name"], data["contact_phone"]) == ("王芳", "13987654321")
    remark = str(data["remark"])
    assert "2026年度" in remark and "高新技术企业证书在匹配日前3年内：实际2026年3月18日" in remark
    assert "鄂托政发〔2025〕12号第三条第一款，2025-01-01起施行" in remark, "each condition cites its legal basis"
    assert "2. 纳税信用等级属于A、B：实际A" in remark.splitlines(), "a value written in the policy cites nothing more"
    assert "定额200000元（依据：鄂托政发〔2025〕12号第三条第二款" in remark and "拨付200000元" in remark


def test_the_alternate_build_files_subsidies_with_its_own_profile(sqlite_store: Engine, tmp_path: Path) -> None:
    add_subsidy_case(sqlite_store, add_subject(sqlite_store, 2))
    settings = PlatformSettings(
        db_path=tmp_path / "alt.db", layout="alternate", admin=True, applicant_password=PASSWORD
    )
    with serving(settings) as url:
        report = prefill_seamless(sqlite_store, World(sqlite_store, tmp_path).platform(url, "alternate"), FAST, now)
        [filed] = applications(url)
    assert report.outcomes == {"filed": 1}
    assert filed["data"]["policy"] == "高新技术企业认定奖励"  # type: ignore[index]


def test_the_element_build_files_subsidies_with_its_own_profile(sqlite_store: Engine, tmp_path: Path) -> None:
    add_subsidy_case(sqlite_store, add_subject(sqlite_store, 2))
    settings = PlatformSettings(db_path=tmp_path / "el.db", layout="element", admin=True, applicant_password=PASSWORD)
    with serving(settings) as url:
        report = prefill_seamless(sqlite_store, World(sqlite_store, tmp_path).platform(url, "element"), FAST, now)
        [filed] = applications(url)
    assert report.outcomes == {"filed": 1}, report.warnings
    assert filed["data"]["policy"] == "高新技术企业认定奖励"  # type: ignore[index]


def test_a_crash_after_submitting_a_subsidy_never_leads_to_a_second_application(
    store: Engine, tmp_path: Path, platform_url: str
) -> None:
    world = World(store, tmp_path)
    case_id = add_subsidy_case(store, add_subject(store, 3))
    crashed = prefill_killed_at(world, platform_url)
    assert crashed.returncode == 75, crashed.stderr.decode()[-2000:]
    assert world.case(case_id)["state"] == "routed", "the crash came before our commit"

    again = prefill_seamless(store, world.platform(platform_url), FAST, now)

    assert again.outcomes == {"found": 1}
    [filed] = applications(platform_url)
    assert world.case(case_id)["application_no"] == filed["application_no"]


def test_a_subject_without_a_payment_account_is_parked_before_the_platform_is_asked(
    store: Engine, tmp_path: Path, platform_url: str
) -> None:
    world = World(store, tmp_path)
    case_id = add_subsidy_case(store, add_subject(store, 4, bank_name=None, bank_account=None, mobile=None))

    report = prefill_seamless(store, world.platform(platform_url), FAST, now)

    case = world.case(case_id)
    assert (report.parked, case["state"]) == (1, "parked")
    assert case["parked_reason"] == "登记数据缺少开户银行、银行账号、联系手机，无法预填申请"
    assert applications(platform_url) == []
    with store.connect() as connection:
        assert connection.execute(select(bot_attempts)).all() == [], "the browser was never used for it"


def test_a_policy_the_platform_does_not_list_waits_and_the_run_says_so(
    sqlite_store: Engine, tmp_path: Path, platform_url: str
) -> None:
    case_id = add_subsidy_case(sqlite_store, add_subject(sqlite_store, 5), policy_id="livestock_insurance")

    report = prefill_seamless(sqlite_store, World(sqlite_store, tmp_path).platform(platform_url), FAST, now)

    assert report.cases == 0 and World(sqlite_store, tmp_path).case(case_id)["state"] == "routed"
    assert report.warnings == [
        "seamless subsidy cases of policies this platform does not file online wait: livestock_insurance 1"
    ]


def test_the_department_s_decisions_move_subsidy_cases_and_a_return_goes_to_a_policy_officer(
    store: Engine, tmp_path: Path, platform_url: str, platform_settings: PlatformSettings
) -> None:
    world = World(store, tmp_path)
    ids = [add_subsidy_case(store, add_subject(store, n)) for n in (6, 7)]
    prefill_seamless(store, world.platform(platform_url), FAST, now)

    decisions = decide_all(
        platform_url, platform_settings.approver_username, platform_settings.approver_password, return_every=2
    )
    report = sync_statuses(store, world.platform(platform_url), FAST, now)

    assert report.outcomes == {"approved": 1, "returned": 1}
    by_number = {world.case(i)["application_no"]: world.case(i) for i in ids}
    [approved] = decisions.approved
    [(returned, reason)] = decisions.returned.items()
    assert by_number[approved]["state"] == "approved"
    assert (by_number[returned]["state"], by_number[returned]["route"]) == ("returned", "assisted")
    with store.connect() as connection:
        details = connection.execute(
            select(case_transitions.c.details).where(
                case_transitions.c.case_id == by_number[returned]["id"], case_transitions.c.new_state == "returned"
            )
        ).scalar_one()
    assert details == {"return_reason": reason}


def test_a_round_of_renewals_only_leaves_subsidy_cases_for_their_own_round(
    store: Engine, tmp_path: Path, platform_url: str
) -> None:
    world = World(store, tmp_path)
    case_id = add_subsidy_case(store, add_subject(store, 7))
    renewals = prefill_seamless(store, world.platform(platform_url), FAST, now, kinds=("renewal",))
    assert (renewals.cases, world.case(case_id)["state"]) == (0, "routed")
    subsidies = prefill_seamless(store, world.platform(platform_url), FAST, now, kinds=("subsidy",))
    assert subsidies.outcomes == {"filed": 1} and world.case(case_id)["state"] == "prefilled"

"""The jobs' run warnings in the service page's words: each form the jobs write reads in Chinese with its values,
made by the real writers where a function writes it (the round's judgements, the breakers, the model's drift, the
misfit), as the code words it elsewhere; a warning of a form not known is shown as written."""

from __future__ import annotations

import re

import pytest

from agent.console.run_words import run_words
from agent.jobs import NO_MODEL, JobRun, judge_bot_step, left_unrouted
from bots import misfits
from bots.batch import REFUSED_LOGIN
from bots.report import BotReport
from ground.outside_work.breaker import Breaker
from ground.outside_work.policy import Next
from models.drift import drift_warnings

ENGLISH = re.compile(r"\b[a-z]{3,}\b")  # a word of a sentence; codes and values are not lower-case words
# What staff type or read as it is: a command, a setting, an address, a record's key.
VERBATIM = re.compile(
    r"proactive( [a-z-]+)+|notify\.letters\.postcodes_file|PROACTIVE_\w+=\w+|https?://[\w.:]+|case:\S+|SUBJECT POLICY"
)
URL = "http://10.15.0.8"


def breaker_reason(system: str, failures: int = 3) -> str:
    breaker = Breaker(failures, lambda: True, system=system)
    for key in range(failures):
        breaker.record(key, Next.LATER)
    assert breaker.reason is not None
    return breaker.reason


def judged(step: str, report: BotReport) -> list[str]:
    run = JobRun()
    judge_bot_step(run, step, report, hours_left=True)
    return run.warnings


def unrouted(waiting: int, why: str) -> str:
    run = JobRun()
    left_unrouted(run, waiting, why)
    return run.warnings[0]


WARNINGS = [
    unrouted(3, NO_MODEL),
    unrouted(0, "the current model was refused: 模型文件校验失败"),
    *drift_warnings({"years_held": 0.31}),
    *judged("pre-fill", BotReport(bot="prefill", stopped_early=True, left_for_later=4)),
    *judged("status sync", BotReport(bot="status_sync", parked=2)),
    f"pre-fill on {URL}: {breaker_reason('the platform')}; 4 cases wait for the next round",
    f"pre-fill on {URL}: {REFUSED_LOGIN}; 6 cases wait for the next round",
    f"status sync on {URL}: the platform's hours ended or the service is stopping; 2 cases wait for the next round",
    "status sync skipped: the profile does not fit the platform",
    "status sync skipped: the platform refused the bot's login",
    "pre-fill on "
    + URL
    + ": "
    + misfits.why({"profile": "nmg_zwfw", "step": "经营场所", "selector": "#JYCS", "at": "2026-11-25T10:00:00+08:00"}),
    f"pre-fill on {URL}: seamless renewal cases of licence types this platform does not file online wait: food_sale 3",
    f"pre-fill on {URL}: seamless subsidy cases of policies this platform does not file online wait: grad_jobs 2",
    f"{breaker_reason('the SMS provider')}; 12 SMS left for the next run",
    "stopped on request; 5 SMS left for the next run",
    "could not reconcile SMS 88 with the provider: 服务商无应答",
    "chase case:17:chase:9:1 not sent: 模板被拒",
    "12 cases have windows counted with the statutory holidays by rule (adjusted working days unknown) in years "
    "with no published holiday schedule (2031, 2032, 2033…): the windows are provisional; add holiday files to make "
    "them exact",
    "4 cases have windows counted Monday-Friday in years with no published holiday schedule (2031…): the windows are "
    "provisional; add holiday files to make them exact",
    "source 市场监管登记 not loaded: 文件无法读取",
    "letter refused: letter L000012: no address on record",
    "letter refused: letter L000013: no postcode: the recipient's township is not on record",
    "letter refused: letter L000014: no postcode: the address '乌兰镇幸福路1号' is not in the recipient's township "
    "'新华镇'",
    "letter refused: letter L000015: no postcode is listed for the township '新华镇' (notify.letters.postcodes_file)",
    "letter refused: letter L000016: template value missing: 到期日",
    "policy file left out: 政策文件格式错误",
    "policy tech_sme_award not matched: 缺少字段",
    "3 subjects qualify again for subsidy cases withdrawn earlier: they are not reopened by themselves; an officer "
    "reviews them (proactive policy explain SUBJECT POLICY)",
    "5 new subsidy matches held back, not filed or paid: their policies cite placeholder references (〔待填…〕): "
    "grad_jobs (5). Fill in the references, or set PROACTIVE_POLICIES__ALLOW_PLACEHOLDER_REFERENCES=true",
]


@pytest.mark.parametrize("warning", WARNINGS)
def test_every_warning_the_jobs_write_reads_in_chinese(warning: str) -> None:
    shown = VERBATIM.sub("", run_words(warning))

    assert ENGLISH.findall(shown) == [], run_words(warning)


def test_a_warning_reads_with_its_values() -> None:
    assert run_words(WARNINGS[0]) == "案件未分流：尚未训练模型（请运行 proactive model train）；3件案件等待"
    assert run_words(WARNINGS[5]) == f"预填申请（{URL}）：审批平台疑似故障：连续3次失败；4件案件待下一轮"
    assert run_words("could not reconcile SMS 88 with the provider: timeout") == (
        "短信 88 无法与短信服务商核对：timeout"  # the provider's own error, as it said it
    )


def test_a_warning_of_a_form_not_known_is_shown_as_written() -> None:
    assert run_words("something new happened") == "something new happened"

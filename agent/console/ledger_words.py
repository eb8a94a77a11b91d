"""The ledger's entries in the words staff read. The jobs write each entry's reason as one English sentence with its
values (the ledger is also read in logs and exports by the people who run the service); the console shows the same
sentence in Chinese. An entry of a form not known here is shown as it was written, never hidden."""

from __future__ import annotations

import re
from collections.abc import Callable

from agent.console.labels import ROUTES, word
from domain.assistance.actions import WORDS, Action
from domain.chasing.timing import LEVEL_WORDS, Level

Words = Callable[[re.Match[str]], str]
THRESHOLDS = {"seamless": "无感续证阈值", "assisted": "帮办代办阈值"}
CHANNELS = {"sms": "短信", "letter": "信函"}


def _route(m: re.Match[str], group: str = "route") -> str:
    return word(ROUTES, m[group])


def _scored(m: re.Match[str]) -> str:
    return f"分流为{_route(m)}：模型评分 {m['score']} {m['op']} {THRESHOLDS[m['which']]} {m['threshold']}"


def _chased(m: re.Match[str]) -> str:
    who = f"{LEVEL_WORDS[Level(m['level'])]}{m['who']}"
    return f"第{m['n']}次催办：{m['department']}{who}，已等待{m['waited']}个工作日（承诺{m['promised']}个工作日）"


def _work_log(m: re.Match[str]) -> str:
    mandate = f"（委托书 {m['mandate']}）" if m["mandate"] else ""
    return f"帮办记录：{WORDS[Action(m['action'])]}（{m['name']}，{m['id']}）：{m['note']}{mandate}"


# (the sentence as the jobs write it, its Chinese); `{via}` and `{why}` parts are themselves ledger phrases.
FORMS: tuple[tuple[str, Words], ...] = (
    (r"renewal window (?P<a>\S+) – (?P<b>\S+)", lambda m: f"进入延续申请期：{m['a']} 至 {m['b']}"),
    (r"renewal window recomputed", lambda m: "延续申请期已重新计算"),
    (
        r"route (?P<route>\w+): score (?P<score>\S+) (?P<op>[≥<]) (?P<which>seamless|assisted) threshold "
        r"(?P<threshold>\S+)",
        _scored,
    ),
    (
        r"route (?P<route>\w+): hard rule — (?P<rule>.+) \(score (?P<score>\S+) not used\)",
        lambda m: f"分流为{_route(m)}：{m['rule']}（未采用模型评分 {m['score']}）",
    ),
    (
        r"route (?P<a>\w+) → (?P<b>\w+): (?P<why>.+)",
        lambda m: f"由{_route(m, 'a')}改为{_route(m, 'b')}：{ledger_words(m['why'])}",
    ),
    (r"the holder said things changed \((?P<via>.+)\)", lambda m: f"持证人回复情况有变化（{ledger_words(m['via'])}）"),
    (r"SMS reply (?P<body>'.*')", lambda m: f"短信回复 {m['body']}"),
    (
        r"licence expired on (?P<d>\S+) with no renewal applied for: it cannot be renewed; to be cancelled \(注销\) by "
        r"(?P<by>.+)",
        lambda m: f"许可证已于 {m['d']} 到期且未申请延续，不能再延续；由{m['by']}依法注销",
    ),
    (r"consent deemed given: (?P<ref>.+)", lambda m: f"视为同意（{m['ref']}）"),
    (
        r"holder invited to authorise the renewal by (?P<d>\S+)",
        lambda m: f"已请持证人于 {m['d']} 前授权代为申请延续",
    ),
    (r"holder authorised the renewal \((?P<via>.+)\)", lambda m: f"持证人已授权代为申请（{ledger_words(m['via'])}）"),
    (r"application (?P<n>\S+) filed on the platform", lambda m: f"已在审批平台提交申请，申请号 {m['n']}"),
    (
        r"application (?P<n>\S+) found on the platform under our reference \(filed by an interrupted run\)",
        lambda m: f"在审批平台查到本案申请 {m['n']}（此前中断的一轮已提交）",
    ),
    (
        r"approver confirmed application (?P<n>\S+)(?P<unread> \(the platform shows no decision time: .*\))?",
        lambda m: f"审批部门已批准申请 {m['n']}" + ("（平台未显示审批时间，按读取时间记）" if m["unread"] else ""),
    ),
    (r"approver returned application (?P<n>\S+): (?P<why>.+)", lambda m: f"审批部门退回申请 {m['n']}：{m['why']}"),
    (
        r"renewed: valid (?P<a>\S+) to (?P<b>\S+) \(was to (?P<was>\S+)\)",
        lambda m: f"已延续：有效期 {m['a']} 至 {m['b']}（原至 {m['was']}）",
    ),
    (
        r"licence renewed in our records to (?P<d>\S+); electronic licence issued",
        lambda m: f"许可证有效期已更新至 {m['d']}，已换发电子证照",
    ),
    (r"holder told by (?P<channel>sms|letter)", lambda m: f"已通过{CHANNELS[m['channel']]}告知持证人"),
    (
        r"treasury paid (?P<amount>\S+) yuan under voucher (?P<voucher>\S+) \((?P<file>.+), line (?P<line>\d+)\)",
        lambda m: f"国库已拨付 {m['amount']} 元，凭证号 {m['voucher']}（{m['file']} 第 {m['line']} 行）",
    ),
    (r"registry record changed: (?P<fields>.+)", lambda m: f"登记数据变更：{m['fields']}"),
    (
        r"chase (?P<n>\d+) sent to (?P<department>.+) \((?P<level>contact|supervisor): (?P<who>.+)\): waited "
        r"(?P<waited>\d+) working days, (?P<promised>\d+) promised",
        _chased,
    ),
    (
        r"work log: (?P<action>\w+) by (?P<id>\S+) (?P<name>\S+): (?P<note>.*?)(?: \(委托 (?P<mandate>.+)\))?",
        _work_log,
    ),
    (r"materials received: (?P<items>.+)", lambda m: f"已收到材料：{m['items']}"),
    (
        r"filed on the platform by officer (?P<id>\S+) (?P<name>\S+) in the holder's name \(委托 (?P<mandate>.+)\)",
        lambda m: f"帮办人员{m['name']}（{m['id']}）凭委托书 {m['mandate']} 代持证人在审批平台提交",
    ),
    (r"poor rating: follow-up \(整改, 回访\) due (?P<d>\S+)", lambda m: f"差评：整改及回访期限 {m['d']}"),
    (r"回访 recorded by (?P<by>.+?): (?P<note>.*)", lambda m: f"{m['by']}已回访：{m['note']}"),
    (
        r"rated (?P<grade>\d) (?P<label>\S+) \((?P<via>.+)\)",
        lambda m: f"评价：{m['label']}（{ledger_words(m['via'])}）",
    ),
    (
        r"rating reply (?P<body>'.*') could not be read: one help SMS",
        lambda m: f"评价回复 {m['body']} 无法识别：已发一次说明短信",
    ),
    (
        r"SMS reply (?P<body>'.*') not applied: it could answer cases (?P<ids>.+); a person asks which",
        lambda m: f"短信回复 {m['body']} 未处理：可能对应案件 {m['ids']}，需工作人员询问",
    ),
    (
        r"released by the operator(?:: (?P<note>.*))?",
        lambda m: "工作人员恢复办理" + (f"：{m['note']}" if m["note"] else ""),
    ),
    (r"licence no longer in the registry", lambda m: "登记数据中已无此许可证"),
    (r"licence status is now (?P<status>.+)", lambda m: f"许可证状态已变为 {m['status']}"),
    (r"subject is (?P<status>.+)", lambda m: f"市场主体状态为 {m['status']}"),
    (
        r"licence now expires on (?P<d>\S+): renewed outside this case",
        lambda m: f"许可证有效期已至 {m['d']}：已通过其他途径延续",
    ),
)
Compiled = tuple[tuple[re.Pattern[str], Words], ...]
_COMPILED = tuple((re.compile(pattern), words) for pattern, words in FORMS)


def worded(text: str, forms: Compiled) -> str:
    """The text in Chinese by the first form it matches whole; as written when it matches none."""
    for pattern, words in forms:
        matched = pattern.fullmatch(text)
        if matched:
            return words(matched)
    return text


def ledger_words(reason: str) -> str:
    """The entry's reason in Chinese; as written when its form is not known (a reason already in Chinese, or new)."""
    return worded(reason, _COMPILED)

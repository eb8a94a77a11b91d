"""The jobs' run warnings in the words staff read. The jobs write each warning as an English sentence with its values
(`job_runs.warnings`, read by the operators in `proactive status`, the logs and the alerts); the service page shows
the same sentence in Chinese, one form a sentence as the ledger's are (agent/console/ledger_words.py). A detail the
jobs quote from elsewhere (an error's text) is shown as written, and so is a warning of a form not known here."""

from __future__ import annotations

import re

from agent.console.ledger_words import Words, worded

STEPS = {"pre-fill": "预填申请", "status sync": "同步审批状态"}
SYSTEMS = {"the platform": "审批平台", "the SMS provider": "短信服务商"}
COUNTED = {  # how domain/scan/run.py counted a window in a year with no holiday file
    "with the statutory holidays by rule (adjusted working days unknown)": "按法定节假日规则（调休日未知）",
    "Monday-Friday": "按周一至周五",
}
RETRAIN = "请运行 proactive model train 重新训练"
KINDS = {"renewal": "续证", "subsidy": "补贴"}
OFFLINE = {"licence types": "许可类别", "policies": "政策"}  # bots/filings.py: what a platform may not file online


def _inner(m: re.Match[str], group: str = "why") -> str:
    return run_words(m[group])


def _step(m: re.Match[str]) -> str:
    return STEPS[m["step"]]


# (the sentence as the jobs write it, its Chinese); a `why` part is itself a warning of this table.
FORMS: tuple[tuple[str, Words], ...] = (
    (r"pre-fill on (?P<url>\S+): (?P<why>.+)", lambda m: f"预填申请（{m['url']}）：{_inner(m)}"),
    (r"status sync on (?P<url>\S+): (?P<why>.+)", lambda m: f"同步审批状态（{m['url']}）：{_inner(m)}"),
    (r"status sync skipped: (?P<why>.+)", lambda m: f"未同步审批状态：{_inner(m)}"),
    (r"the profile does not fit the platform", lambda m: "站点配置与审批平台不符"),
    (r"the platform refused the bot's login", lambda m: "审批平台拒绝了机器人账号登录"),
    (
        r"the platform refused the bot's login: check the bot account before the next round",
        lambda m: "审批平台拒绝了机器人账号登录：下一轮之前请检查机器人账号",
    ),
    (
        r"(?P<step>pre-fill|status sync): stopped early, the platform looks down; (?P<n>\d+) cases wait",
        lambda m: f"{_step(m)}：审批平台疑似故障，提前停止；{m['n']}件案件等待",
    ),
    (
        r"(?P<step>pre-fill|status sync): (?P<n>\d+) cases given up on \(parked or refused by the platform\); see the "
        r"parked queue",
        lambda m: f"{_step(m)}：{m['n']}件案件已放弃（转人工处理或被平台拒绝），见待人工处理",
    ),
    (r"(?P<why>.+); (?P<n>\d+) cases wait for the next round", lambda m: f"{_inner(m)}；{m['n']}件案件待下一轮"),
    (r"(?P<why>.+); (?P<n>\d+) SMS left for the next run", lambda m: f"{_inner(m)}；{m['n']}条短信待下次发送"),
    (
        r"(?P<system>the platform|the SMS provider) looks down: (?P<k>\d+) in a row failed",
        lambda m: f"{SYSTEMS[m['system']]}疑似故障：连续{m['k']}次失败",
    ),
    (r"the platform's hours ended or the service is stopping", lambda m: "审批平台办理时间已过，或服务正在停止"),
    (r"stopped on request", lambda m: "应要求停止"),
    (
        r"seamless (?P<kind>renewal|subsidy) cases of (?P<what>licence types|policies) this platform does not file "
        r"online wait: (?P<listed>.+)",
        lambda m: f"本平台不在线办理这些{OFFLINE[m['what']]}，其无感{KINDS[m['kind']]}案件等待：{m['listed']}",
    ),
    (
        r"the profile (?P<profile>\S+) did not fit the platform at (?P<step>.+?) \((?P<selector>.+)\) on (?P<at>\S+): "
        r"nothing goes to the platform until a person fixes it and runs `proactive bots clear-misfit`",
        lambda m: (
            f"站点配置 {m['profile']} 在{m['step']}（{m['selector']}）与审批平台不符（{m['at']}）："
            "修正配置并运行 proactive bots clear-misfit 之前，不再向平台提交"
        ),
    ),
    (
        r"cases left unrouted: (?P<why>.+?)(?:; (?P<n>\d+) cases wait)?",
        lambda m: f"案件未分流：{_inner(m)}" + (f"；{m['n']}件案件等待" if m["n"] else ""),
    ),
    (r"no trained model yet \(run `proactive model train`\)", lambda m: "尚未训练模型（请运行 proactive model train）"),
    (r"the current model was refused: (?P<error>.+)", lambda m: f"当前模型不可用：{m['error']}"),
    (
        r"population drift: (?P<name>\S+) has moved since training \(PSI (?P<psi>\S+) ≥ (?P<limit>\S+)\); scores may "
        r"be less reliable: retrain with `proactive model train`",
        lambda m: (
            f"数据漂移：{m['name']} 自训练以来已变化（PSI {m['psi']} ≥ {m['limit']}），评分可能不够可靠，{RETRAIN}"
        ),
    ),
    (
        r"(?P<n>\d+) cases have windows counted (?P<how>.+) in years with no published holiday schedule "
        r"\((?P<years>.+)…\): the windows are provisional; add holiday files to make them exact",
        lambda m: (
            f"{m['n']}件案件的申请期在尚未公布节假日安排的年份（{m['years']}…）{COUNTED[m['how']]}计算，"
            "为暂定结果；补充节假日文件后即可精确计算"
        ),
    ),
    (r"source (?P<name>.+?) not loaded: (?P<error>.+)", lambda m: f"登记数据源 {m['name']} 未导入：{m['error']}"),
    (r"chase (?P<key>\S+) not sent: (?P<error>.+)", lambda m: f"催办 {m['key']} 未发送：{m['error']}"),
    (
        r"could not reconcile SMS (?P<id>\d+) with the provider: (?P<error>.+)",
        lambda m: f"短信 {m['id']} 无法与短信服务商核对：{m['error']}",
    ),
    (r"letter refused: (?P<why>.+)", lambda m: f"信函未打印：{_inner(m)}"),
    (
        r"letter (?P<id>\S+): template value missing: (?P<name>.+)",
        lambda m: f"信函 {m['id']}：模板缺少取值 {m['name']}",
    ),
    (r"letter (?P<id>\S+): (?P<why>.+)", lambda m: f"信函 {m['id']}：{_inner(m)}"),
    (r"no address on record", lambda m: "无地址记录"),
    (r"no postcode: the recipient's township is not on record", lambda m: "无法确定邮编：收件人所在乡镇无记录"),
    (
        r"no postcode: the address (?P<address>.+) is not in the recipient's township (?P<township>.+)",
        lambda m: f"无法确定邮编：地址 {m['address']} 不在收件人所在乡镇 {m['township']}",
    ),
    (
        r"no postcode is listed for the township (?P<township>.+) \(notify\.letters\.postcodes_file\)",
        lambda m: f"邮编表中没有乡镇 {m['township']}（notify.letters.postcodes_file）",
    ),
    (r"policy file left out: (?P<error>.+)", lambda m: f"政策文件未采用：{m['error']}"),
    (r"policy (?P<id>\S+) not matched: (?P<why>.+)", lambda m: f"政策 {m['id']} 未匹配：{m['why']}"),
    (
        r"(?P<n>\d+) subjects qualify again for subsidy cases withdrawn earlier: they are not reopened by themselves; "
        r"an officer reviews them \(proactive policy explain SUBJECT POLICY\)",
        lambda m: (
            f"{m['n']}个主体重新符合此前已撤回的补贴案件条件：不自动重新办理，由工作人员复核"
            "（proactive policy explain SUBJECT POLICY）"
        ),
    ),
    (
        r"(?P<n>\d+) new subsidy matches held back, not filed or paid: their policies cite placeholder references "
        r"\(〔待填…〕\): (?P<named>.+)\. Fill in the references, or set "
        r"PROACTIVE_POLICIES__ALLOW_PLACEHOLDER_REFERENCES=true",
        lambda m: (
            f"{m['n']}项新匹配的补贴暂缓办理，不申报也不拨付：其政策引用了待填文号（〔待填…〕）：{m['named']}。"
            "请补全文号，或设置 PROACTIVE_POLICIES__ALLOW_PLACEHOLDER_REFERENCES=true"
        ),
    ),
)
_COMPILED = tuple((re.compile(pattern), words) for pattern, words in FORMS)


def run_words(warning: str) -> str:
    """The run warning in Chinese; as written when its form is not known."""
    return worded(warning, _COMPILED)

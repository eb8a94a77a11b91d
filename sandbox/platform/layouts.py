"""Two builds of the platform: every user-facing word of the applicant side, and how fields are put on steps.

"standard" follows the form description; "alternate" is another build of the same system with other wording,
another order and fewer steps, for proving that the bots' site profiles absorb the difference. The README's
label table is checked against this module by a test.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sandbox.platform.fields import MATTERS


@dataclass(frozen=True)
class Step:
    title: str
    fields: tuple[str, ...] = ()  # no fields: the confirmation step (a summary and the submit button)

    @property
    def confirms(self) -> bool:
        return not self.fields


@dataclass(frozen=True)
class MatterPages:
    matter: str
    name: str  # the 事项 as tables show it
    heading: str
    new_link: str
    labels: Mapping[str, str] = field(hash=False)
    steps: tuple[Step, ...]
    groups: Mapping[str, str] = field(default_factory=dict, hash=False)  # field -> fieldset legend

    def earlier_fields(self, number: int) -> list[str]:
        return [name for step in self.steps[: number - 1] for name in step.fields]


@dataclass(frozen=True)
class Layout:
    name: str
    site_title: str
    login_heading: str
    username_label: str
    password_label: str
    login_button: str
    login_failed: str
    session_expired: str
    logout_button: str
    applicant_heading: str
    search_label: str
    search_button: str
    columns: tuple[str, ...]
    prev_button: str
    next_button: str
    submit_button: str
    errors_intro: str
    success_heading: str
    number_label: str
    duplicate_reference: str  # with a {no} slot
    detail_heading: str
    matters: Mapping[str, MatterPages] = field(hash=False)


# The same in both builds.
APPROVER_LOGIN_HEADING = "审批人员登录"
QUEUE_HEADING = "待审核"
QUEUE_COLUMNS = ("申请编号", "事项", "经营者名称", "许可证编号", "提交时间", "承诺时限")
REMARK_HEADING = "申请人备注"
APPROVE_BUTTON = "确认通过"
RETURN_REASON_LABEL = "退回原因"
RETURN_BUTTON = "退回"
STATUS_PENDING, STATUS_APPROVED, STATUS_RETURNED = "待审核", "已通过", "已退回"
FORBIDDEN_MESSAGE = "请求已失效，请刷新页面后重试"
BUSY_MESSAGE = "系统繁忙，请稍后再试"
NOT_FOUND_MESSAGE = "页面不存在或无权查看"

STANDARD_FOOD = MatterPages(
    matter="food_renewal",
    name="食品经营许可延续",
    heading="食品经营许可延续申请",
    new_link="新建食品经营许可延续申请",
    labels={
        "reference": "申请参考号",
        "holder_name": "经营者名称",
        "credit_code": "统一社会信用代码",
        "legal_rep": "法定代表人（负责人）",
        "address": "住所",
        "contact_name": "联系人",
        "contact_phone": "联系电话",
        "licence_no": "许可证编号",
        "issuer": "发证机关",
        "issued_on": "发证日期",
        "expires_on": "有效期至",
        "premises": "经营场所",
        "business_form": "主体业态",
        "business_items": "经营项目",
        "online": "是否网络经营",
        "warehouse_address": "外设仓库地址",
        "conditions_changed": "经营条件是否发生变化",
        "safety_manager": "食品安全管理人员",
        "cite_business_licence": "引用电子证照：营业执照",
        "cite_food_licence": "引用电子证照：食品经营许可证",
        "delivery": "领取方式",
        "recipient": "收件人",
        "recipient_address": "收件地址",
        "remark": "备注（致审批人员）",
        "promise": "本人承诺所填信息真实有效，经营条件未发生变化",
    },
    steps=(
        Step(
            "主体信息",
            ("reference", "holder_name", "credit_code", "legal_rep", "address", "contact_name", "contact_phone"),
        ),
        Step(
            "原许可信息",
            (
                "licence_no",
                "issuer",
                "issued_on",
                "expires_on",
                "premises",
                "business_form",
                "business_items",
                "online",
                "warehouse_address",
            ),
        ),
        Step(
            "延续事项",
            (
                "conditions_changed",
                "safety_manager",
                "cite_business_licence",
                "cite_food_licence",
                "delivery",
                "recipient",
                "recipient_address",
                "remark",
                "promise",
            ),
        ),
        Step("确认提交"),
    ),
    groups={"cite_business_licence": "材料", "cite_food_licence": "材料"},
)

STANDARD_SUBSIDY = MatterPages(
    matter="subsidy",
    name="惠企政策资金拨付",
    heading="惠企政策资金拨付申请",
    new_link="新建惠企政策资金拨付申请",
    labels={
        "reference": "申请参考号",
        "company_name": "企业名称",
        "credit_code": "统一社会信用代码",
        "policy": "政策名称",
        "amount": "拨付金额（元）",
        "bank": "开户银行",
        "account": "银行账号",
        "contact_name": "联系人",
        "contact_phone": "联系电话",
        "remark": "备注（致审批人员）",
        "promise": "本人承诺所填信息真实有效，资金用于政策规定用途",
    },
    steps=(
        Step("申请信息", ("reference", "company_name", "credit_code", "policy")),
        Step("拨付账户", ("amount", "bank", "account", "contact_name", "contact_phone", "remark", "promise")),
        Step("确认提交"),
    ),
)

STANDARD = Layout(
    name="standard",
    site_title="一体化政务服务平台",
    login_heading="用户登录",
    username_label="用户名",
    password_label="密码",
    login_button="登录",
    login_failed="用户名或密码错误",
    session_expired="登录已过期，请重新登录",
    logout_button="退出登录",
    applicant_heading="我的申请",
    search_label="许可证编号或申请参考号",
    search_button="查询",
    columns=("申请编号", "申请参考号", "许可证编号", "事项", "状态", "提交时间", "审核意见", "审核时间"),
    prev_button="上一步",
    next_button="下一步",
    submit_button="确认提交",
    errors_intro="请修改以下问题：",
    success_heading="提交成功",
    number_label="申请编号",
    duplicate_reference="该申请参考号已提交过申请：{no}",
    detail_heading="申请详情",
    matters={"food_renewal": STANDARD_FOOD, "subsidy": STANDARD_SUBSIDY},
)

ALTERNATE_FOOD = MatterPages(
    matter="food_renewal",
    name="食品经营许可延续",
    heading="食品经营许可延续（网上申办）",
    new_link="我要办理：食品经营许可延续",
    labels={
        "reference": "外部参考号",
        "holder_name": "市场主体名称",
        "credit_code": "社会信用代码",
        "legal_rep": "法人代表",
        "address": "注册地址",
        "contact_name": "经办人",
        "contact_phone": "经办人手机",
        "licence_no": "许可编号",
        "issuer": "原发证机关",
        "issued_on": "原发证日期",
        "expires_on": "证照有效期至",
        "premises": "经营地址",
        "business_form": "经营业态",
        "business_items": "经营项目类别",
        "online": "是否开展网络经营",
        "warehouse_address": "仓库地址（如有）",
        "conditions_changed": "经营条件有无变化",
        "safety_manager": "食品安全管理员",
        "cite_business_licence": "调用电子营业执照",
        "cite_food_licence": "调用电子食品经营许可证",
        "delivery": "证照送达方式",
        "recipient": "收件人姓名",
        "recipient_address": "邮寄地址",
        "remark": "给审批人员的留言",
        "promise": "我已阅读并承诺：所填信息真实有效，经营条件未发生变化",
    },
    steps=(
        Step(
            "许可证信息",
            (
                "reference",
                "licence_no",
                "issuer",
                "expires_on",
                "issued_on",
                "premises",
                "business_form",
                "business_items",
                "online",
                "warehouse_address",
            ),
        ),
        Step(
            "经营主体及延续事项",
            (
                "holder_name",
                "credit_code",
                "legal_rep",
                "address",
                "contact_name",
                "contact_phone",
                "conditions_changed",
                "safety_manager",
                "cite_business_licence",
                "cite_food_licence",
                "delivery",
                "recipient",
                "recipient_address",
                "remark",
                "promise",
            ),
        ),
        Step("核对提交"),
    ),
    groups={"cite_business_licence": "电子证照引用", "cite_food_licence": "电子证照引用"},
)

ALTERNATE_SUBSIDY = MatterPages(
    matter="subsidy",
    name="惠企政策资金拨付",
    heading="惠企政策资金拨付（网上申办）",
    new_link="我要办理：惠企政策资金拨付",
    labels={
        "reference": "外部参考号",
        "company_name": "市场主体名称",
        "credit_code": "社会信用代码",
        "policy": "扶持政策",
        "amount": "申请金额（元）",
        "bank": "开户行",
        "account": "收款账号",
        "contact_name": "经办人",
        "contact_phone": "经办人手机",
        "remark": "给审批人员的留言",
        "promise": "我已阅读并承诺：所填信息真实有效",
    },
    steps=(
        Step("资金及账户", ("reference", "policy", "amount", "bank", "account")),
        Step("企业信息及承诺", ("company_name", "credit_code", "contact_name", "contact_phone", "remark", "promise")),
        Step("核对提交"),
    ),
)

ALTERNATE = Layout(
    name="alternate",
    site_title="政务服务网 · 统一申办受理系统",
    login_heading="统一身份认证",
    username_label="账号",
    password_label="口令",
    login_button="登 录",
    login_failed="账号或口令不正确",
    session_expired="会话已超时，请重新登录",
    logout_button="退出",
    applicant_heading="我的办件",
    search_label="输入许可编号或外部参考号",
    search_button="检索",
    columns=("受理编号", "外部参考号", "许可编号", "办理事项", "办理状态", "申报时间", "审核意见", "办结时间"),
    prev_button="返回",
    next_button="继续",
    submit_button="提交申请",
    errors_intro="填写有误：",
    success_heading="申请已受理",
    number_label="受理编号",
    duplicate_reference="该外部参考号已有受理记录：{no}",
    detail_heading="办件详情",
    matters={"food_renewal": ALTERNATE_FOOD, "subsidy": ALTERNATE_SUBSIDY},
)

LAYOUTS = {layout.name: layout for layout in (STANDARD, ALTERNATE)}


def check_layout(layout: Layout) -> None:
    """Every field of every matter is labelled and on exactly one step; the last step is the confirmation."""
    for key, pages in layout.matters.items():
        names = [f.name for f in MATTERS[key].fields]
        placed = [name for step in pages.steps for name in step.fields]
        if sorted(placed) != sorted(names):
            raise ValueError(f"{layout.name}/{key}: the steps must hold each field exactly once")
        if set(pages.labels) != set(names):
            raise ValueError(f"{layout.name}/{key}: the labels must match the fields")
        if not pages.steps[-1].confirms or any(s.confirms for s in pages.steps[:-1]):
            raise ValueError(f"{layout.name}/{key}: only the last step may be the confirmation")


for _layout in LAYOUTS.values():
    check_layout(_layout)

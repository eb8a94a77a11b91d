"""Three builds of the platform: every user-facing word of the applicant side, and how fields are put on steps.

"standard" follows the form description; "alternate" is another build of the same system with other wording,
another order and fewer steps; "element" is a single-page front end in the Vue + Element UI style that most
一体化政务服务平台 have, with its own URLs, widgets and option wording. They prove that the bots' site profiles
absorb the difference. The README's label tables are checked against this module by a test.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sandbox.platform.fields import MATTERS, Kind


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
    # field -> {accepted value -> the words the build shows for it}: the value is what is posted, the words are what
    # a person clicks (Element's `<el-radio label="否">无变化</el-radio>`)
    option_words: Mapping[str, Mapping[str, str]] = field(default_factory=dict, hash=False)
    # field -> (cascader label, detail label): an address entered as 省/市/县 picked in a cascader plus the rest typed;
    # the page posts the region names and the rest as one text
    regions: Mapping[str, tuple[str, str]] = field(default_factory=dict, hash=False)

    def earlier_fields(self, number: int) -> list[str]:
        return [name for step in self.steps[: number - 1] for name in step.fields]

    def shown(self, name: str, value: str) -> str:
        """The words this build shows for an accepted value of a choice field."""
        return self.option_words.get(name, {}).get(value, value)


@dataclass(frozen=True)
class ElementWords:
    """Words only the Element UI build has: its search box, its confirmation dialog, its time format."""

    search_placeholder: str
    reset_button: str
    confirm_title: str
    confirm_message: str
    confirm_button: str
    cancel_button: str
    result_link: str  # the button under the result of a submission
    time_format: str  # submission and decision times in the list


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
    element: ElementWords | None = None  # set: the single-page Element UI front end (its own URLs and widgets)


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
        "application_form": "延续申请书（PDF）",
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
                "application_form",
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
        "application_form": "资金拨付申请书（PDF）",
    },
    steps=(
        Step("申请信息", ("reference", "company_name", "credit_code", "policy")),
        Step(
            "拨付账户",
            ("amount", "bank", "account", "contact_name", "contact_phone", "remark", "application_form", "promise"),
        ),
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
        "application_form": "申请材料：延续申请书",
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
                "application_form",
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
        "application_form": "申请材料：拨付申请书",
    },
    steps=(
        Step("资金及账户", ("reference", "policy", "amount", "bank", "account")),
        Step(
            "企业信息及承诺",
            ("company_name", "credit_code", "contact_name", "contact_phone", "remark", "application_form", "promise"),
        ),
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

ELEMENT_FOOD = MatterPages(
    matter="food_renewal",
    name="食品经营许可延续",
    heading="食品经营许可证延续申请表",
    new_link="食品经营许可延续申报",
    labels={
        "reference": "业务参考号",
        "holder_name": "经营主体名称",
        "credit_code": "统一信用代码",
        "legal_rep": "法定代表人/负责人",
        "address": "住所",
        "contact_name": "联系人姓名",
        "contact_phone": "联系人手机号",
        "licence_no": "原许可证编号",
        "issuer": "发证部门",
        "issued_on": "许可证发证日期",
        "expires_on": "有效期截止日期",
        "premises": "经营场所地址",
        "business_form": "主体业态",
        "business_items": "经营项目（可多选）",
        "online": "网络经营",
        "warehouse_address": "外设仓库（选填）",
        "conditions_changed": "经营条件变化情况",
        "safety_manager": "食品安全管理人员姓名",
        "cite_business_licence": "引用电子营业执照",
        "cite_food_licence": "引用电子食品经营许可证",
        "delivery": "取证方式",
        "recipient": "收件人",
        "recipient_address": "收件地址",
        "remark": "备注",
        "promise": "我已阅读并同意《告知承诺书》，承诺所填信息真实有效、经营条件未发生变化",
        "application_form": "申请书（签字盖章扫描件）",
    },
    steps=(
        Step(
            "证照信息",
            (
                "licence_no",
                "issuer",
                "issued_on",
                "expires_on",
                "business_form",
                "business_items",
                "online",
                "premises",
                "warehouse_address",
            ),
        ),
        Step(
            "经营者信息",
            ("holder_name", "credit_code", "legal_rep", "address", "safety_manager", "contact_name", "contact_phone"),
        ),
        Step(
            "延续申请",
            (
                "conditions_changed",
                "cite_business_licence",
                "cite_food_licence",
                "delivery",
                "recipient",
                "recipient_address",
                "reference",
                "remark",
                "application_form",
                "promise",
            ),
        ),
    ),
    groups={"cite_business_licence": "电子证照", "cite_food_licence": "电子证照"},
    option_words={
        "online": {"是": "已开展", "否": "未开展"},
        "conditions_changed": {"否": "无变化", "是": "有变化"},
        "delivery": {"邮寄送达": "快递邮寄", "窗口领取": "窗口自取"},
    },
    regions={"address": ("住所所在地", "住所详细地址")},
)

ELEMENT_SUBSIDY = MatterPages(
    matter="subsidy",
    name="惠企政策资金拨付",
    heading="惠企政策资金拨付申请表",
    new_link="惠企政策资金拨付申报",
    labels={
        "reference": "业务参考号",
        "company_name": "申报单位名称",
        "credit_code": "统一信用代码",
        "policy": "申报政策",
        "amount": "申请拨付金额（元）",
        "bank": "开户银行",
        "account": "收款银行账号",
        "contact_name": "联系人姓名",
        "contact_phone": "联系人手机号",
        "remark": "备注",
        "promise": "我已阅读并同意《告知承诺书》，承诺所填信息真实有效",
        "application_form": "申报材料（盖章扫描件）",
    },
    steps=(
        Step("政策申报", ("policy", "amount", "reference")),
        Step(
            "单位及收款信息",
            (
                "company_name",
                "credit_code",
                "bank",
                "account",
                "contact_name",
                "contact_phone",
                "remark",
                "application_form",
                "promise",
            ),
        ),
    ),
)

ELEMENT = Layout(
    name="element",
    site_title="鄂尔多斯市一体化政务服务平台",
    login_heading="账号密码登录",
    username_label="登录账号",
    password_label="登录密码",
    login_button="登 录",
    login_failed="登录账号或密码错误",
    session_expired="登录状态已过期，请重新登录",
    logout_button="安全退出",
    applicant_heading="办件查询",
    search_label="关键词",
    search_button="查 询",
    columns=("办件编号", "业务参考号", "许可证号", "事项名称", "办件状态", "申报时间", "审批意见", "办结时间"),
    prev_button="上一步",
    next_button="下一步",
    submit_button="提 交",
    errors_intro="校验未通过：",
    success_heading="申报成功",
    number_label="办件编号",
    duplicate_reference="该业务参考号已申报，办件编号：{no}",
    detail_heading="办件信息",
    matters={"food_renewal": ELEMENT_FOOD, "subsidy": ELEMENT_SUBSIDY},
    element=ElementWords(
        search_placeholder="请输入许可证号或业务参考号",
        reset_button="重 置",
        confirm_title="提示",
        confirm_message="确认提交？",
        confirm_button="确 定",
        cancel_button="取 消",
        result_link="查看我的办件",
        time_format="%Y-%m-%d %H:%M:%S",
    ),
)

LAYOUTS = {layout.name: layout for layout in (STANDARD, ALTERNATE, ELEMENT)}


def check_layout(layout: Layout) -> None:
    """Every field of every matter is labelled and on exactly one step; a page build ends with the confirmation
    step, the Element build has none (it confirms in a dialog); option words and regions fit their fields."""
    for key, pages in layout.matters.items():
        matter = MATTERS[key]
        names = [f.name for f in matter.fields]
        placed = [name for step in pages.steps for name in step.fields]
        if sorted(placed) != sorted(names):
            raise ValueError(f"{layout.name}/{key}: the steps must hold each field exactly once")
        if set(pages.labels) != set(names):
            raise ValueError(f"{layout.name}/{key}: the labels must match the fields")
        confirmations = [s.confirms for s in pages.steps]
        if confirmations != [False] * len(pages.steps[:-1]) + [layout.element is None]:
            raise ValueError(f"{layout.name}/{key}: only a page build's last step is the confirmation")
        for name, words in pages.option_words.items():
            if set(words) != set(matter.field(name).options) or len(set(words.values())) != len(words):
                raise ValueError(f"{layout.name}/{key}/{name}: option words must name each option once")
        if any(matter.field(name).kind is not Kind.TEXT for name in pages.regions):
            raise ValueError(f"{layout.name}/{key}: only a text field can be entered by region")
        if any(matter.field(name).kind is Kind.FILE for name in pages.steps[0].fields):
            raise ValueError(f"{layout.name}/{key}: an attachment is bound to a draft, which the first step starts")


for _layout in LAYOUTS.values():
    check_layout(_layout)

"""The canonical tables: migrations in `ground/store/migrations` create them, this module describes them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# 市场主体. `subject_key` is the credit code where the registry has one, else a source-scoped key.
subjects = Table(
    "subjects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subject_key", String, nullable=False, unique=True),
    Column("credit_code", String),
    Column("name", String, nullable=False),
    Column("kind", String),  # enterprise | individual
    Column("legal_rep", String),
    Column("address", String),
    Column("township", String),
    Column("industry_code", String),
    Column("employees", Integer),
    Column("revenue_10k_yuan", Float),
    Column("tax_credit_rating", String),
    Column("high_tech", Boolean),
    Column("registered_on", Date),
    Column("status", String, nullable=False),  # active | deregistered | revoked
    Column("mobile", String),  # E.164
    Column("mobile_problem", String),
    Column("abnormal_list", Boolean),
    Column("serious_violation_list", Boolean),
    # What the subsidy policies ask about (domain/policies/attributes.py): figures for the last year, and the
    # certifications with the date each was granted (a certification counts for a set number of years from it).
    Column("rd_share", Float),  # R&D spending as a percentage of revenue
    Column("tax_paid_10k_yuan", Float),
    Column("new_loans_10k_yuan", Float),
    Column("graduates_hired", Integer),
    Column("high_tech_certified_on", Date),  # 高新技术企业 certificate
    Column("specialised_sme_on", Date),  # 专精特新中小企业
    Column("tech_sme_on", Date),  # 科技型中小企业 (entered in the national register)
    Column("tourism_stars", Integer),  # 星级乡村旅游接待户 (牧家乐) rating, 1-5
    Column("tourism_rated_on", Date),
    # Where a subsidy is paid (the platform's disbursement form asks for it). No export shipped today carries it:
    # a subsidy case whose subject has none is parked before the bot files it, saying so.
    Column("bank_name", String),  # 开户银行
    Column("bank_account", String),  # 银行账号
    Column("attributes", JSON),  # the mapping's typed attributes: name → number, category or ISO date
    Column("source", String, nullable=False),
    Column("row_hash", String, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

licences = Table(
    "licences",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("licence_no", String, nullable=False, unique=True),
    Column("subject_key", String, nullable=False, index=True),
    Column("licence_type", String, nullable=False),
    Column("type_label", String),  # the source's own wording of the type
    Column("holder_name", String, nullable=False),
    Column("address", String),
    Column("business_form", String),  # 主体业态
    Column("business_items", String),  # 经营项目
    Column("issuer", String),
    Column("valid_from", Date),
    Column("expires_on", Date, nullable=False, index=True),
    Column("status", String, nullable=False),  # valid | expired | cancelled | revoked | suspended
    Column("mobile", String),
    Column("mobile_problem", String),
    Column("attributes", JSON),  # the mapping's typed attributes: name → number, category or ISO date
    Column("source", String, nullable=False),
    Column("row_hash", String, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Inspections, penalties, registration changes, complaints, earlier renewals and earlier licence terms.
licence_events = Table(
    "licence_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_key", String, nullable=False, unique=True),  # hash of the event's content
    Column("licence_no", String, index=True),
    Column("subject_key", String, index=True),
    Column("kind", String, nullable=False),
    Column("occurred_on", Date, nullable=False),
    Column("outcome", String),
    Column("severity", String),
    Column("detail", Text),
    Column("attributes", JSON),  # the mapping's typed attributes: name → number, category or ISO date
    Column("source", String, nullable=False),
)

# A row that could not be loaded, kept whole with the reason, so nothing is lost.
quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("row_key", String, nullable=False, unique=True),  # source + row content, so reloads add nothing
    Column("source", String, nullable=False, index=True),
    Column("file", String),
    Column("line", Integer),
    Column("reason", String, nullable=False),
    Column("detail", Text),
    Column("raw", JSON, nullable=False),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("natural_key", String, nullable=False, unique=True),
    Column("kind", String, nullable=False),  # renewal | subsidy
    Column("state", String, nullable=False, index=True),
    Column("route", String),  # seamless | assisted | remind | none, set by scoring
    Column("licence_no", String, index=True),
    Column("subject_key", String, index=True),
    Column("licence_type", String),
    Column("expires_on", Date),
    Column("window_opens_on", Date),
    Column("window_closes_on", Date),
    Column("window_reference", Text),
    Column("calendar_warning", Text),
    Column("score", Float),
    Column("reasons", JSON),
    Column("model_version", String),
    # On the approval platform: our reference, written before the bot acts (so a retry finds what it began),
    # and the platform's own application number once it is known.
    Column("platform_ref", String, unique=True),
    Column("application_no", String),
    # The pre-fill round at work on the case and until when (`ground.outside_work.leases`): another round takes
    # the case only once the lease has run out, and then searches the platform for our reference before filing.
    Column("claimed_by", String, index=True),  # a round's end frees its cases by this: no scan of every case
    Column("lease_until", DateTime(timezone=True)),
    Column("parked_reason", Text),
    # Subsidy cases: which policy, which period it pays for, how much, and the trace that decided it (every
    # condition with the subject's value and the parameter in force, with its legal reference).
    Column("policy_id", String, index=True),
    Column("policy_version", String),  # digest of the policy file that decided the case
    Column("period", String),  # "2026", or "once"
    Column("amount_yuan", Integer),
    Column("trace", JSON),
    Column("paid_at", DateTime(timezone=True)),
    Column("payment_ref", String),  # the treasury's payment voucher number
    # Renewal, lawful and recorded: the holder's answer to the invitation (given | changed | deemed), by when it
    # is asked for, the approver's own decision time from the platform, and the term the renewal granted.
    Column("consent", String),
    Column("consent_deadline", Date),
    Column("consent_at", DateTime(timezone=True)),
    Column("decided_at", DateTime(timezone=True)),
    Column("new_expires_on", Date),
    Column("materials_received", JSON),  # what staff recorded as received from an assisted holder, with when
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# The ledger: append-only, one row per change of a case or of a registry record.
case_transitions = Table(
    "case_transitions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), index=True),
    Column("entity", String, nullable=False),  # case | licence | subject
    Column("entity_key", String, nullable=False),
    Column("old_state", String),
    Column("new_state", String),
    Column("reason", Text, nullable=False),
    Column("actor", String, nullable=False),
    Column("details", JSON),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_case_transitions_entity", "entity", "entity_key"),
)

# Every time a bot works on a case: what happened, and the evidence (screenshot, trace) when it failed.
# The electronic licence (电子证照) issued for a renewal: written with the licence's new term, in the transaction
# that moves its case to done.
e_licences = Table(
    "e_licences",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("licence_no", String, nullable=False, index=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, unique=True),
    Column("valid_from", Date, nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("verification_code", String, nullable=False, unique=True),
    Column("validity_reference", Text, nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
)

bot_attempts = Table(
    "bot_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("bot", String, nullable=False),  # prefill | status_sync
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    # running | done | transient | permanent | outage (a transient failure that opened the breaker: the
    # platform's, not the case's) | login_refused | misfit (the site profile did not fit the platform) |
    # interrupted (left running by a killed round, closed by the next)
    Column("outcome", String, nullable=False),
    Column("error", Text),
    Column("evidence", JSON),
)

# The outbox: every message to a holder is recorded here, with its natural key, before it is sent. A send only
# takes a row still `created`; a row left `sending` by a crash is reconciled against the provider first.
notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("natural_key", String, nullable=False, unique=True),  # case:<id>:<event>[:<mark>], +":letter"
    Column("case_id", Integer, ForeignKey("cases.id"), index=True),
    Column("event", String, nullable=False),
    Column("channel", String, nullable=False),  # sms | letter
    Column("recipient", String),  # SMS: E.164 mobile
    Column("address", JSON),  # letter: name, lines, township (its postcode is looked up when printed)
    Column("context", JSON, nullable=False),  # the values every template of the event is rendered from
    Column("body", Text),  # SMS exactly as sent, signature included
    Column("template_id", String),  # the carrier's approved template id
    Column("segments", Integer),
    Column("status", String, nullable=False, index=True),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("provider_sid", String, unique=True),
    Column("error_code", String),
    Column("error", Text),
    Column("fallback_of", Integer, ForeignKey("notifications.id")),  # the SMS a letter replaces
    Column("verification_code", String, unique=True),  # letter: printed with its QR code
    Column("batch", String),  # letter: the day's print file
    Column("claimed_at", DateTime(timezone=True)),
    Column("sent_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_notifications_recipient_sent_at", "recipient", "sent_at"),
)

# Mobiles that asked for no more SMS ("T", "TD", "退订"), or that the provider reports unsubscribed (21610).
sms_opt_outs = Table(
    "sms_opt_outs",
    metadata,
    Column("mobile", String, primary_key=True),
    Column("source", String, nullable=False),  # reply | operator | provider
    Column("detail", Text),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Inbound SMS already acted on, by the provider's message id: a webhook retried or replayed acts only once.
sms_inbound = Table(
    "sms_inbound",
    metadata,
    Column("message_sid", String, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
)

# 好差评: a holder's rating of a finished case, by SMS reply to its invitation. One row per case, made by the first
# reply routed to it: the grade (1 非常满意 … 5 非常不满意), or no grade yet when that reply could not be read (one
# help SMS answers it); a later readable reply sets the grade, once.
ratings = Table(
    "ratings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, unique=True),
    Column("mobile", String, nullable=False),  # E.164: the number that replied
    Column("channel", String, nullable=False),  # sms
    Column("grade", Integer),
    Column("reply", Text),  # the reply that gave the grade, as received
    Column("rated_at", DateTime(timezone=True)),
    Column("unreadable_at", DateTime(timezone=True)),  # the first reply that could not be read
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# A poor rating (不满意, 非常不满意) is followed up: put right (整改) and the holder called back (回访) by a deadline.
rating_follow_ups = Table(
    "rating_follow_ups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("rating_id", Integer, ForeignKey("ratings.id"), nullable=False, unique=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("township", String),  # the holder's: whose officer it is
    # An officer named for this follow-up; when empty, the township's officer in the roster is responsible (the
    # listing shows who, from the roster of the day).
    Column("officer", String),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("due_on", Date, nullable=False),  # 15 working days after the day of the rating
    Column("called_back_at", DateTime(timezone=True)),  # recorded by staff: closes the follow-up
    Column("called_back_by", String),
    Column("callback_note", Text),  # 回访情况
    Column("rectification", Text),  # 整改情况
)

# 催办: every chase of a case waiting on its approver past the promise, whom it went to and what it said. The natural
# key is also the key of its SMS in the outbox; a case filed again (after a return) is chased afresh.
chases = Table(
    "chases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("natural_key", String, nullable=False, unique=True),  # case:<id>:chase:<filing ledger id>:<number>
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("filing_id", Integer, ForeignKey("case_transitions.id"), nullable=False),  # the filing chased
    Column("number", Integer, nullable=False),  # 1, 2, … for this filing
    Column("level", String, nullable=False),  # contact | supervisor
    Column("department", String, nullable=False),
    Column("recipient_name", String, nullable=False),
    Column("recipient_mobile", String, nullable=False),  # E.164, as it was in the departments file that day
    Column("waited_working_days", Integer, nullable=False),
    Column("context", JSON, nullable=False),  # the values the SMS is rendered from
    Column("at", DateTime(timezone=True), nullable=False),
)

# 帮办代办 work log (台账): what a service officer did on a case; each entry also has its ledger entry.
work_log = Table(
    "work_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False, index=True),
    Column("officer_id", String, nullable=False),
    Column("officer_name", String, nullable=False),  # as the roster had it that day
    Column("action", String, nullable=False),  # called | visited | materials | filed
    Column("note", Text, nullable=False),
    Column("mandate_ref", String),  # the holder's 委托 reference: required to file on the holder's behalf
    Column("at", DateTime(timezone=True), nullable=False),
)

job_runs = Table(
    "job_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("job_id", String, nullable=False, index=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("status", String, nullable=False),  # running | ok | degraded | failed | interrupted
    Column("counts", JSON),
    Column("warnings", JSON),
    Column("error", Text),
)

# The console's staff accounts: a service officer's account names the roster officer whose townships it may see.
staff_accounts = Table(
    "staff_accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String, nullable=False, unique=True),
    Column("display_name", String, nullable=False),
    Column("role", String, nullable=False),  # admin | supervisor | officer | reader
    Column("officer_id", String),  # the roster's officer id, for the officer role
    Column("password_hash", String, nullable=False),  # argon2id, with its own salt and parameters
    Column("failed_signins", Integer, nullable=False, default=0),  # since the last good one
    Column("locked_until", DateTime(timezone=True)),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# A signed-in browser: the cookie holds a random token, the store only its SHA-256, so a read of the store signs
# nobody in. Each session has its own CSRF token for the forms it is shown.
staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String, nullable=False, unique=True),
    Column("account_id", Integer, ForeignKey("staff_accounts.id"), nullable=False, index=True),
    Column("csrf_token", String, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),  # signed out, or ended by the administrator
)

# Every staff action in the console (sign-ins, refused ones included), in the order they happened.
staff_audit = Table(
    "staff_audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("username", String, nullable=False),  # as typed, for a refused sign-in
    Column("action", String, nullable=False),
    Column("target", String),  # e.g. case:42
    Column("detail", JSON),
    Column("address", String),  # the client's address as the server saw it
)

__all__ = [
    "bot_attempts",
    "case_transitions",
    "cases",
    "chases",
    "e_licences",
    "job_runs",
    "licence_events",
    "licences",
    "metadata",
    "notifications",
    "quarantine",
    "rating_follow_ups",
    "ratings",
    "sms_inbound",
    "sms_opt_outs",
    "staff_accounts",
    "staff_audit",
    "staff_sessions",
    "subjects",
    "work_log",
]

"""The simulated year's STAND-INS (scripts, not people), each labelled in every output: the holders who answer the
invitations and rate finished cases, the approvers who decide the platform's queue after a delay drawn per
department (one department slow), and the registry's changes (new licences issued, subjects deregistered).

Every draw is seeded by the run's seed and the thing drawn for (a case, an application), so a run is the same every
time, whatever order the work arrives in."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import httpx
from sqlalchemy import Engine

from domain.chasing.departments import Departments
from domain.chasing.reads import approving_departments
from ground.calendar import WorkingDayCalendar
from notifications.reads import consent_invitations_by_sms, rating_invitations_by_sms

STAND_INS = (
    "holders (consent, change, ignore, rate: seeded shares; replies through the sandbox gateway's signed webhook)",
    "approvers (decide the sandbox platform's queue through its approver pages after a seeded delay per department)",
    "service officers (file assisted food renewals in the holder's name with the holder's 委托; work log, status sync)",
    "holders renewing at a department's counter (the new validity arrives in the next licences export)",
    "the registry's changes (new licences issued, subjects deregistered: written into the county's exports)",
    "the approval platform and the SMS gateway (the sandbox's, on loopback)",
    "the treasury (pays every approved subsidy the same afternoon)",
)


def draw(seed: int, *what: object) -> random.Random:
    """A generator for one thing drawn for: the same seed and thing give the same draws in any order."""
    return random.Random(":".join(str(part) for part in (seed, *what)))


def pick(rng: random.Random, shares: Sequence[tuple[str, float]]) -> str:
    roll, total = rng.random(), 0.0
    for choice, share in shares:
        total += share
        if roll < total:
            return choice
    return shares[-1][0]


# A holder invited by SMS to authorise the renewal: most agree (some in full-width digits or in words, as phones
# send), some say things changed, some never answer.
CONSENT_REPLIES = (("1", 0.62), ("１", 0.08), ("同意", 0.05), ("2", 0.06), ("２", 0.02), ("", 0.17))
# A holder invited to rate a finished case: most do not answer; of those who do, most are satisfied.
RATING_REPLIES = (
    ("", 0.40),
    ("1", 0.40),
    ("１", 0.07),
    ("非常满意", 0.03),
    ("2", 0.055),
    ("3", 0.03),
    ("4", 0.01),
    ("5", 0.005),
    ("好", 0.01),  # not a grade: one help SMS, then the holder rates
)
REPLY_LAG_DAYS = (0, 0, 0, 1, 1, 2, 3)


@dataclass
class Holders:
    """STAND-IN holders: each answers on a day drawn for its case, through the gateway, which signs the reply."""

    seed: int
    gateway: str
    first_seen: dict[tuple[str, int], date] = field(default_factory=dict)
    replies: dict[str, int] = field(default_factory=dict)

    def answer_consent(self, engine: Engine, today: date) -> None:
        with engine.connect() as connection:
            invited = consent_invitations_by_sms(connection)
        for case_id, mobile in invited:
            self._reply("consent", case_id, mobile, today, CONSENT_REPLIES)

    def rate(self, engine: Engine, today: date) -> None:
        with engine.connect() as connection:
            invited = rating_invitations_by_sms(connection)
        for case_id, mobile in invited:
            self._reply("rating", case_id, mobile, today, RATING_REPLIES)

    def _reply(self, what: str, case_id: int, mobile: str, today: date, shares: Sequence[tuple[str, float]]) -> None:
        seen = self.first_seen.setdefault((what, case_id), today)
        rng = draw(self.seed, what, case_id)
        body, lag = pick(rng, shares), rng.choice(REPLY_LAG_DAYS)
        if not body or (today - seen).days != lag:
            return
        self.send(mobile, body)
        self.replies[f"{what} {body}"] = self.replies.get(f"{what} {body}", 0) + 1
        if what == "rating" and body == "好":  # an unreadable reply: the holder reads the help, then rates
            self.send(mobile, "1")

    def send(self, mobile: str, body: str) -> None:
        answer = httpx.post(f"{self.gateway}/_sandbox/inbound", data={"From": mobile, "Body": body}, timeout=60)
        answer.raise_for_status()


# Working days from the day an application reaches the queue to the approver's decision: 0 is the same afternoon.
FAST_DELAYS = ((0, 0.55), (1, 0.35), (2, 0.07), (3, 0.03))
SLOW_DELAYS = ((1, 0.2), (2, 0.3), (3, 0.25), (4, 0.15), (6, 0.1))
RETURN_SHARE = 0.06
RETURN_REASON = "经营场所与登记住所不一致，需核实"
HREF = re.compile(r'href="/approver/applications/([^"]+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Approvers:
    """STAND-IN approvers on the sandbox platform: each application gets a delay drawn for its department (the
    slow one's longer), and is decided through the approver pages on that working day; a few are returned.
    A department in `never` decides nothing (to see a target missed)."""

    seed: int
    base_url: str
    credentials: tuple[str, str]
    slow: str | None
    never: frozenset[str] = frozenset()
    due: dict[str, date] = field(default_factory=dict)
    decided: dict[str, int] = field(default_factory=dict)
    decided_today: int = 0  # the status sync has something to read back only on such a day

    def decide(self, engine: Engine, departments: Departments, calendar: WorkingDayCalendar, today: date) -> None:
        self.decided_today = 0
        with httpx.Client(base_url=self.base_url, timeout=60, follow_redirects=True) as client:
            token = self._login(client)
            queue = HREF.findall(client.get("/approver").text)
            with engine.connect() as connection:
                department_of = approving_departments(connection, departments, queue)
            for number in queue:
                case_id, department = department_of.get(number, (0, ""))
                if department in self.never:
                    continue
                due = self.due.setdefault(number, self._due_day(case_id, department, calendar, today))
                if due <= today:
                    self._decide_one(client, token, number, case_id, department)

    def _due_day(self, case_id: int, department: str, calendar: WorkingDayCalendar, today: date) -> date:
        """Drawn for our case, not the platform's number: the bots file two at a time, in no fixed order."""
        delays = SLOW_DELAYS if department == self.slow else FAST_DELAYS
        delay = int(pick(draw(self.seed, "approver", case_id), [(str(d), s) for d, s in delays]))
        if delay == 0:
            return today
        return calendar.working_day_after(today, delay)

    def _login(self, client: httpx.Client) -> str:
        page = client.get("/approver/login").text
        username, password = self.credentials
        form = {"csrf_token": _csrf(page), "username": username, "password": password, "next": "/approver"}
        return _csrf(client.post("/approver/login", data=form).text)

    def _decide_one(self, client: httpx.Client, token: str, number: str, case_id: int, department: str) -> None:
        returning = draw(self.seed, "return", case_id).random() < RETURN_SHARE
        form = {"csrf_token": token, "action": "return" if returning else "approve"}
        if returning:
            form["reason"] = RETURN_REASON
        client.post(f"/approver/applications/{number}", data=form).raise_for_status()
        self.decided_today += 1
        key = f"{department or '?'} {'returned' if returning else 'confirmed'}"
        self.decided[key] = self.decided.get(key, 0) + 1


def _csrf(page: str) -> str:
    found = CSRF.search(page)
    if found is None:
        raise RuntimeError("the sandbox platform's page has no csrf_token")
    return found.group(1)


def department_names(departments: Departments) -> Mapping[str, str]:
    return {key: department.name for key, department in departments.departments.items()}

"""The simulated year's STAND-INS for the work people do outside the bots: the township's service officers, who file
an assisted food renewal on the platform in the holder's name once the holder gives a 委托 (recorded in the work log,
then read back by the status sync like any filing), and the holders who renew at a licensing department's counter
(a renewal on the remind route, a type the platform does not take online, one the approver returned) — whose new
validity reaches us the way it would, in the next licences export."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from agent.simulate_clock import SimRuntime
from agent.simulate_standins import draw
from bots.application import platform_ref
from domain.assistance.filing import record_officer_filing
from domain.assistance.worklist import worklist_cases
from ground.cases.kinds import Kind, Route
from ground.cases.lifecycle import State
from ground.cases.reads import CaseFilter, list_cases
from sandbox.platform.direct_filing import DirectFiling
from sandbox.platform.fields import Data

ONLINE = {"food_business": "food_renewal"}  # what the sandbox platform renews online (bots/profiles/standard.yaml)
MANDATE_SHARE = 0.95  # holders an officer reaches who sign the 委托; the rest renew at the counter themselves
OFFICER_LAG_WD = (1, 2, 3, 5, 8)  # working days from the case reaching the worklist to the filing (or its last day)
COUNTER_LAG_DAYS = (3, 7, 14, 21, 30, 45, 60)  # days from the case's first reminder to the holder's counter visit
MANY = 1_000_000


@dataclass
class Officers:
    seed: int
    platform_db: Path
    bureau_account: str  # the bureau's account on the platform, under which the bots and the officers file
    first_seen: dict[int, date] = field(default_factory=dict)
    at_counter: dict[str, tuple[date, date]] = field(default_factory=dict)  # licence → (renewed on, old expiry)
    exported: set[str] = field(default_factory=set)  # of those, the ones written into the licences export
    tally: dict[str, int] = field(default_factory=dict)
    platform: DirectFiling | None = None  # opened at the first filing

    def work(self, sim: SimRuntime, today: date) -> None:
        """Each working day: the officers' filings due today, and the holders' counter visits due today."""
        with sim.engine.connect() as connection:
            assisted = worklist_cases(connection)
            remind = list_cases(connection, CaseFilter(kind=Kind.RENEWAL.value, route=Route.REMIND.value), MANY)
        for case in assisted:
            self._assisted(sim, case, today)
        for row in remind:
            if row.state == State.ROUTED.value and row.licence_no and row.expires_on:
                window = (row.window_opens_on, row.window_closes_on)
                self._counter(sim, row.id, row.licence_no, row.expires_on, window, today, COUNTER_LAG_DAYS)

    def _assisted(self, sim: SimRuntime, case: dict[str, object], today: date) -> None:
        case_id, licence_no = int(str(case["id"])), str(case["licence_no"])
        expires_on, opens, closes = case["expires_on"], case["window_opens_on"], case["window_closes_on"]
        assert isinstance(expires_on, date)
        window = (opens if isinstance(opens, date) else None, closes if isinstance(closes, date) else None)
        officer = sim.roster.for_township(str(case["township"]) if case["township"] else None)
        rng = draw(self.seed, "officer", case_id)
        mandate, lag = rng.random() < MANDATE_SHARE, rng.choice(OFFICER_LAG_WD)
        online = case["state"] == State.ROUTED.value and str(case["licence_type"]) in ONLINE
        if officer is None or not mandate or not online:
            self._counter(sim, case_id, licence_no, expires_on, window, today, (lag,))
            return
        if not _within(window, today):
            return
        seen = self.first_seen.setdefault(case_id, today)
        last = window[1] or expires_on - timedelta(days=1)
        # The worklist puts the earliest last day to apply first: an officer gets to a case by then at the latest.
        if sim.calendar.working_day_after(seen, lag) > today and sim.calendar.working_day_after(today, 1) <= last:
            return
        number = self._file(sim, case_id, licence_no, str(case["holder_name"] or ""), str(case["licence_type"]))
        with sim.engine.begin() as connection:
            record_officer_filing(
                connection, case_id, officer, f"WT-{case_id:08d}", platform_ref(case_id), number, sim.now()
            )
        self._count("officer filings")

    def _file(self, sim: SimRuntime, case_id: int, licence_no: str, holder: str, licence_type: str) -> str:
        """The officer files on the platform as the bureau (where a person uses the pages)."""
        if self.platform is None:
            self.platform = DirectFiling(self.platform_db, self.bureau_account)
        data: Data = {
            "reference": platform_ref(case_id),
            "licence_no": licence_no,
            "holder_name": holder,
            "remark": "帮办代办：服务专员受持证人委托代为提交",
        }
        return self.platform.submit(ONLINE[licence_type], data, sim.clock.shanghai_naive())

    def _counter(
        self,
        sim: SimRuntime,
        case_id: int,
        licence_no: str,
        expires_on: date,
        window: tuple[date | None, date | None],
        today: date,
        lags: tuple[int, ...],
    ) -> None:
        """The holder renews at the department's counter on a day drawn for the case, within its window (on its
        last working day if the draw falls later: the counter is shut on the other days)."""
        if licence_no in self.at_counter or not _within(window, today):
            return
        seen = self.first_seen.setdefault(case_id, today)
        last = window[1] or expires_on - timedelta(days=1)
        visit = seen + timedelta(days=draw(self.seed, "counter", case_id).choice(lags))
        if today >= visit or sim.calendar.working_day_after(today, 1) > last:
            self.at_counter[licence_no] = (today, expires_on)
            self._count("renewed at a counter")

    def _count(self, what: str) -> None:
        self.tally[what] = self.tally.get(what, 0) + 1


def _within(window: tuple[date | None, date | None], today: date) -> bool:
    opens, closes = window
    return (opens is None or opens <= today) and (closes is None or today <= closes)

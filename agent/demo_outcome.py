"""The demo's closing table: where the renewals stand under the law after the day, and the lapsed licences' list
for the departments that cancel them."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from agent.cli_kpi import compute, kpi_table, moments
from agent.cli_renewals import write_lapsed_csv
from agent.runtime import Runtime
from domain.kpi.figures import Period
from domain.renewals.assisted import lapsed_licences
from domain.renewals.audit import renewal_audit

LAPSED_SHOWN = 5


def print_renewal_outcome(rt: Runtime, console: Console) -> None:
    with rt.engine.connect() as connection:
        audit = renewal_audit(connection, rt.licence_types, rt.settings.zone)
        lapsed = lapsed_licences(connection, rt.licence_types, rt.settings.zone)
    table = Table("state", "route", "renewal cases", title=f"Renewals on {rt.today()}")
    for (state, route), count in sorted(audit.by_state_route.items()):
        table.add_row(state, route, str(count))
    console.print(table)
    summary = Table("", "", title="The law, checked")
    summary.add_row("applications filed inside their window", str(audit.filed_in_window))
    summary.add_row("applications filed outside their window", str(len(audit.filed_outside)))
    summary.add_row("licences lapsed (expired unfiled; never renewed)", str(audit.lapsed))
    summary.add_row("licences renewed in our records (electronic licence issued)", str(audit.renewed))
    console.print(summary)
    path = rt.settings.var_dir / "demo" / "lapsed-licences.csv"
    write_lapsed_csv(lapsed, path)
    for row in lapsed[:LAPSED_SHOWN]:
        console.print(f"  lapsed {row.licence_no} {row.holder_name} expired {row.expires_on} → {row.cancelled_by}")
    console.print(f"{len(lapsed)} lapsed licences for the cancelling departments: {path} (`proactive cases lapsed`)")
    day = Period(rt.today(), rt.today())
    console.print(kpi_table(compute(rt, moments(rt), day, None), day))

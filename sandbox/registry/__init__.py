"""A seeded generator of a realistic county's registry exports (鄂托克旗, region 150624).

`generate_county(out_dir, licences, seed)` writes subjects.csv (GBK), licences.csv (UTF-8 with BOM) and
events.csv (UTF-8) with a share of deliberately broken rows, and returns a CountySummary of what it wrote.
Command line: `python -m sandbox.registry --licences N --seed S --out DIR`.
"""

from sandbox.registry.breakage import EventBreakage, LicenceBreakage, SubjectBreakage
from sandbox.registry.codes import credit_code_check_char, is_valid_credit_code, org_code_check_char
from sandbox.registry.county import (
    EVENTS_FILE,
    LICENCES_FILE,
    SUBJECTS_ENCODING,
    SUBJECTS_FILE,
    CountySummary,
    RenewalOutcomes,
    generate_county,
)

__all__ = [
    "EVENTS_FILE",
    "LICENCES_FILE",
    "SUBJECTS_ENCODING",
    "SUBJECTS_FILE",
    "CountySummary",
    "EventBreakage",
    "LicenceBreakage",
    "RenewalOutcomes",
    "SubjectBreakage",
    "credit_code_check_char",
    "generate_county",
    "is_valid_credit_code",
    "org_code_check_char",
]

"""Checking the numbers of a message the way Twilio does, with `phonenumbers`: the recipient must be a valid mobile
number in E.164, the sender one of the account's numbers or an alphanumeric sender ID."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat, PhoneNumberType

from sandbox.sms_gateway.errors import twilio_error
from sandbox.sms_gateway.settings import Faults

MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
# Up to 11 letters, digits and spaces, with at least one letter (Twilio's rule for alphanumeric sender IDs).
ALPHANUMERIC_SENDER = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$")


def parse_e164(text: str, region: str | None = None) -> PhoneNumber | None:
    """The number, or None when it is not a valid one (region: how to read a number without its +country)."""
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def e164(number: PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def country_of(text: str) -> str:
    number = parse_e164(text)
    return (phonenumbers.region_code_for_number(number) or "") if number else ""


def checked_recipient(to: str, faults: Faults) -> str:
    """The recipient in E.164; 21211 for a number that is not one (or is configured so), 21614 for a landline."""
    number = parse_e164(to)
    if number is None or e164(number) in faults.invalid_numbers:
        raise twilio_error(21211, number=to)
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise twilio_error(21614, number=to)
    return e164(number)


def checked_sender(sender: str, phone_numbers: tuple[str, ...]) -> str:
    """One of the account's numbers (in E.164), or an alphanumeric sender ID; 21606 for anything else."""
    number = parse_e164(sender)
    if number is not None and e164(number) in phone_numbers:
        return e164(number)
    if ALPHANUMERIC_SENDER.match(sender):
        return sender
    raise twilio_error(21606, number=sender)

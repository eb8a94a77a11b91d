"""Everything the notification steps need, built once from the settings: templates, sending hours, the sender."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from domain.licence_types import LicenceType
from ground.calendar import WorkingDayCalendar
from ground.events import Event
from ground.settings import NotifySettings
from notifications.planning import Materials, load_materials
from notifications.postcodes import Postcodes, load_postcodes
from notifications.recipients import Hours, SendingHours
from notifications.senders.base import Sender
from notifications.senders.file import FileSender
from notifications.senders.twilio import TwilioSender
from notifications.sms import SmsTemplate, sms_templates

STATUS_PATH = "/sms/status"
INBOUND_PATH = "/sms/inbound"


@dataclass
class Notifier:
    settings: NotifySettings
    licence_types: dict[str, LicenceType]
    calendar: WorkingDayCalendar
    zone: ZoneInfo
    var_dir: Path

    @cached_property
    def templates(self) -> dict[Event, SmsTemplate]:
        sms = self.settings.sms
        return sms_templates(sms.signature, sms.carrier_templates, sms.max_segments)

    @cached_property
    def materials(self) -> Materials:
        return load_materials()

    @cached_property
    def postcodes(self) -> Postcodes:
        return load_postcodes(self.settings.letters.postcodes_file)

    @cached_property
    def hours(self) -> SendingHours:
        sms = self.settings.sms
        return SendingHours(Hours.parse(sms.send_hours), Hours.parse(sms.rest_day_hours), self.calendar.is_working_day)

    @property
    def letters_dir(self) -> Path:
        return self.settings.letters.dir or self.var_dir / "letters"

    def sender(self) -> Sender:
        sms = self.settings.sms
        if sms.sender == "file":
            return FileSender(self.var_dir / "sms-outbox")
        assert sms.account_sid is not None and sms.auth_token is not None  # the settings validator checks this
        return TwilioSender(
            sms.account_sid,
            sms.auth_token.get_secret_value(),
            from_number=sms.from_number,
            messaging_service_sid=sms.messaging_service_sid,
            api_base_url=sms.api_base_url,
            status_callback=f"{sms.public_url.rstrip('/')}{STATUS_PATH}" if sms.public_url else None,
            timeout=sms.timeout_seconds,
        )

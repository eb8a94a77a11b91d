"""Sending through Twilio with the official library. The API's base URL is a setting, so the same code talks to
the sandbox gateway on loopback in the demo and the tests."""

from __future__ import annotations

from datetime import datetime

from requests.exceptions import ConnectionError as RequestsConnectionError
from requests.exceptions import ConnectTimeout, RequestException, Timeout
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from notifications.masking import SENDER_LOGGERS, masked_logger
from notifications.senders.base import Accepted, Sender, SendError

# Twilio error codes where sending again cannot help (https://www.twilio.com/docs/api/errors).
PERMANENT_CODES = {
    21211: "invalid 'To' number",
    21408: "sending to this region is not enabled",
    21610: "the recipient has unsubscribed (replied STOP)",
    21612: "cannot route to this number",
    21614: "'To' is not a mobile number",
}
UNSUBSCRIBED = 21610
RECENT = 50  # messages to one recipient looked through when reconciling: enough for any day's traffic


class TwilioSender(Sender):
    name = "twilio"

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        *,
        from_number: str | None,
        messaging_service_sid: str | None,
        api_base_url: str,
        status_callback: str | None,
        timeout: float,
    ) -> None:
        for name in SENDER_LOGGERS:  # the libraries below log the recipient's number with each request
            masked_logger(name)
        self.client = Client(account_sid, auth_token, http_client=TwilioHttpClient(timeout=timeout))
        self.client.api.base_url = api_base_url.rstrip("/")
        self.origin = {"from_": from_number} if from_number else {"messaging_service_sid": messaging_service_sid}
        self.status_callback = status_callback

    def send(self, to: str, body: str, reference: int) -> Accepted:
        extra = {"status_callback": f"{self.status_callback}?ref={reference}"} if self.status_callback else {}
        try:
            message = self.client.messages.create(to=to, body=body, **self.origin, **extra)
            return Accepted(str(message.sid), str(message.status))
        except TwilioRestException as exc:
            raise classify(exc) from exc
        except ConnectTimeout as exc:  # the request never reached the provider
            raise SendError(f"cannot reach Twilio: {exc}", permanent=False) from exc
        except (Timeout, RequestsConnectionError) as exc:  # it may have arrived and been created
            raise SendError(f"no answer from Twilio: {exc}", permanent=False, uncertain=True) from exc
        except (ValueError, KeyError, TypeError) as exc:  # a 2xx we cannot read: it was most likely created
            raise SendError(f"unreadable answer from Twilio: {exc!r}", permanent=False, uncertain=True) from exc

    def find(self, to: str, body: str, since: datetime) -> Accepted | None:
        try:
            messages = self.client.messages.list(to=to, limit=RECENT)
        except TwilioRestException as exc:
            raise classify(exc) from exc
        except (TwilioException, RequestException, ValueError) as exc:  # paging wraps a failed page in TwilioException
            raise SendError(f"cannot list messages at Twilio: {exc!r}", permanent=False) from exc
        # Queued messages have no date_sent yet, so filter on creation time here rather than DateSent there.
        for message in messages:
            if message.body == body and message.date_created is not None and message.date_created >= since:
                return Accepted(str(message.sid), str(message.status))
        return None


def classify(exc: TwilioRestException) -> SendError:
    """Only a 4xx proves the provider refused the request: permanent for the codes above, otherwise transient (a
    429 says "not now"; an operator fixes auth, and then the messages still go). A 5xx, or any other answer, may
    come after the message was created (a proxy's 503, a crash before the answer), so it is uncertain: the message
    is looked for at the provider before it is sent again."""
    code = exc.code if isinstance(exc.code, int) else None
    if code in PERMANENT_CODES:
        return SendError(f"{PERMANENT_CODES[code]} ({code})", permanent=True, code=str(code))
    refused = 400 <= exc.status < 500
    return SendError(
        f"Twilio answered {exc.status}: {exc.msg}",
        permanent=False,
        code=str(code or exc.status),
        uncertain=not refused,
    )

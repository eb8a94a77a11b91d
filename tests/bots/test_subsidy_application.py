"""What the bot needs from the registry for a subsidy application."""

from __future__ import annotations

from bots.subsidy_application import missing


def test_what_the_registry_lacks_for_the_form_is_named() -> None:
    values = {"credit_code": "91150624MA0000001X", "bank": "工行", "account": None, "contact_phone": ""}
    assert missing(values) == ["银行账号", "联系手机"]

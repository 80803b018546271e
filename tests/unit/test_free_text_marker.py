"""The free-text marker (``kernel/store/protection.py``) and the kernel's screening hook (``screening``)."""

import pytest
from pynamodb.attributes import JSONAttribute

from atrium.apps.fieldwork.customers.models import CustomerItem
from atrium.kernel.store import screening
from atrium.kernel.store.protection import Protection, free_text, free_text_fields, protected


def test_free_text_is_personal_text_only() -> None:
    assert free_text_fields(CustomerItem) == ("notes",) and protected(CustomerItem)["notes"] is Protection.PERSONAL
    with pytest.raises(TypeError, match="only a text attribute can be free text"):
        free_text(JSONAttribute())


def test_free_text_written_with_nothing_installed_to_screen_it_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screening, "_installed", [])
    with pytest.raises(RuntimeError, match="nothing screens it"):
        screening.screen_item("ten_1", CustomerItem(tenant_id="ten_1", id="cus_1", notes="Gate code 5521"))
    # Text read as it stands was screened when written: nothing to screen.
    read = CustomerItem(tenant_id="ten_1", id="cus_1", notes="Gate code 5521")
    screening.remember(read)
    assert screening.screen_item("ten_1", read) == {}

from typing import Any

import pytest
from pynamodb.attributes import UnicodeAttribute

from atrium.kernel.errors import BadRequest
from atrium.kernel.store import keys
from atrium.kernel.store.cursors import decode_cursor, encode_cursor
from atrium.kernel.store.models import TenantEntity
from atrium.kernel.store.pages import fetch_page
from atrium.kernel.tenancy import tenant_scope

LAST_KEY = {"pk": {"S": "T#ten_a#Widget#w1"}, "sk": {"S": "#"}}


class Gadget(TenantEntity, discriminator="Gadget"):
    name = UnicodeAttribute()


def test_cursor_round_trip(aws: Any) -> None:
    cursor = encode_cursor(LAST_KEY, tenant_id="ten_a", query="gadgets")
    assert "T#ten_a" not in cursor  # opaque: no raw key text
    assert decode_cursor(cursor, tenant_id="ten_a", query="gadgets") == LAST_KEY


@pytest.mark.parametrize(("tenant", "query"), [("ten_b", "gadgets"), ("ten_a", "widgets")])
def test_cursor_is_bound_to_tenant_and_query(aws: Any, tenant: str, query: str) -> None:
    cursor = encode_cursor(LAST_KEY, tenant_id="ten_a", query="gadgets")
    with pytest.raises(BadRequest):
        decode_cursor(cursor, tenant_id=tenant, query=query)


@pytest.mark.parametrize("cursor", ["", "abc", "a.b.c", "eyJ9.AAAA", "!!!.???"])
def test_forged_cursors_are_bad_requests(aws: Any, cursor: str) -> None:
    with pytest.raises(BadRequest):
        decode_cursor(cursor, tenant_id="ten_a", query="gadgets")


def test_edited_cursor_is_refused(aws: Any) -> None:
    payload, signature = encode_cursor(LAST_KEY, tenant_id="ten_a", query="q").split(".")
    other_payload = encode_cursor({"pk": {"S": "T#ten_b#X#1"}}, tenant_id="ten_a", query="q").split(".")[0]
    with pytest.raises(BadRequest):
        decode_cursor(f"{other_payload}.{signature}", tenant_id="ten_a", query="q")
    assert payload != other_payload


def test_pages_walk_a_collection_one_query_each(aws: Any) -> None:
    with tenant_scope("ten_a"):
        for n in range(5):
            Gadget(tenant_id="ten_a", id=f"g{n}", name=str(n)).save()
        seen: list[str] = []
        cursor = None
        pages = 0
        while True:
            page = fetch_page(
                lambda start: Gadget.gsi1.query(keys.collection_pk("ten_a", "Gadget"), limit=2, page_size=2,
                                                last_evaluated_key=start),
                cursor=cursor, tenant_id="ten_a", query="gadgets")
            assert all(isinstance(g, Gadget) for g in page.items)
            seen += [g.id for g in page.items if isinstance(g, Gadget)]
            pages += 1
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert seen == ["g0", "g1", "g2", "g3", "g4"]
        assert pages == 3

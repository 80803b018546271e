import pytest

from atrium.kernel import ids


def test_ids_are_prefixed_sortable_and_validated() -> None:
    first, second = ids.new_id("ten"), ids.new_id("ten")
    assert first.startswith("ten_") and len(first) == 30
    assert ids.is_valid_id(first, "ten")
    assert not ids.is_valid_id(first, "usr")
    assert ids.ulid(now_ms=1) < ids.ulid(now_ms=2)
    assert first[:14] <= second[:14]  # same or later millisecond


@pytest.mark.parametrize("value", ["ten_", "ten_01M80NEQ8V8WMTDAMZFMBRHY1#", "TEN_01M80NEQ8V8WMTDAMZFMBRHY14", "x"])
def test_malformed_ids_are_rejected(value: str) -> None:
    assert not ids.is_valid_id(value, "ten")


def test_unknown_prefix_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown id prefix"):
        ids.new_id("zzz")

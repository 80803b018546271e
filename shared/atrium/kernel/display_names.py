"""Names that mail shows (a tenant's name in a subject, a sender's display name): one line of plain, visible
text that no mail client reads as something else.

Refused: control characters and line breaks (header injection), bidi embeddings, overrides, isolates and marks
(text that reads otherwise than it is stored), zero-width characters and the BOM (names that look alike but
differ), lone surrogates (no UTF-8 can carry them), and RFC 2047 encoded words (``=?utf-8?B?...?=``: a mail
client decodes them into anything, an address included). A sender name may not look like an address either.

``DisplayName`` refuses such input (a 422 naming the field); ``cleaned`` strips the same from a value stored
before these rules, so composing a mail never fails on one.
"""

import re
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

_INVISIBLE = (r"\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff"
              r"\ud800-\udfff")
# "@", "<", ">" and their fullwidth and small forms, which clients may show as the ASCII ones.
_ADDRESS_MARKS = r"@<>\uff20\ufe6b\uff1c\uff1e\ufe64\ufe65"
_ENCODED_WORD = re.compile(r"=\?[^?]*\?[bq]\?[^?]*\?=", re.IGNORECASE)
_INVISIBLE_CHARACTER = re.compile(f"[{_INVISIBLE}]")
_ADDRESS_MARK = re.compile(f"[{_ADDRESS_MARKS}]")


def _check(value: str, sender: bool) -> str:
    if found := _INVISIBLE_CHARACTER.search(value):
        raise PydanticCustomError(
            "invisible_character", "must not contain control, line-break, zero-width or direction-changing "
                                   "characters (found U+{code})", {"code": f"{ord(found[0]):04X}"})
    if _ENCODED_WORD.search(value):
        raise PydanticCustomError("encoded_word", "must not contain an RFC 2047 encoded word (=?charset?Q|B?...?=)")
    if sender and _ADDRESS_MARK.search(value):
        raise PydanticCustomError("address_like", "must not contain @, < or >: a sender name cannot look like an "
                                                  "email address")
    return value


@dataclass(frozen=True)
class DisplayName:
    """Annotates a ``str`` (``Annotated[str, StringConstraints(...), DisplayName()]``). The JSON schema states the
    character rules as a ``pattern`` (at least one visible character, none refused); the encoded-word rule is
    beyond a pattern and is checked only here."""

    sender: bool = False

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(lambda value: _check(value, self.sender), handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = handler(schema)
        refused = _INVISIBLE + (_ADDRESS_MARKS if self.sender else "")
        json_schema["pattern"] = f"^[^{refused}]*[^\\s{refused}][^{refused}]*$"
        return json_schema


def cleaned(value: str, *, sender: bool = False) -> str:
    """``value`` with what ``DisplayName`` refuses taken out (line breaks become spaces; encoded words are defused,
    ``=?`` becoming ``= ?``) and its whitespace collapsed; "" when nothing visible is left."""
    if _ENCODED_WORD.search(value):
        value = value.replace("=?", "= ?")
    value = _INVISIBLE_CHARACTER.sub(lambda found: " " if found[0].isspace() else "", value)
    if sender:
        value = _ADDRESS_MARK.sub("", value)
    return " ".join(value.split())

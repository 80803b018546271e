from atrium.identity.account.schemas import SessionTokens
from atrium.identity.schemas import Tokens


def test_session_tokens_keep_the_shape_of_identity_tokens() -> None:
    assert SessionTokens.model_json_schema()["properties"] == Tokens.model_json_schema()["properties"]
    assert SessionTokens.model_json_schema()["required"] == Tokens.model_json_schema()["required"]

"""IAM's ``StringLike`` condition operator, with policy variables: what the tests of the tenant data policy
evaluate its ``dynamodb:LeadingKeys`` patterns with (moto does not enforce IAM conditions)."""

import re
from functools import lru_cache

_PATTERN_TOKENS = re.compile(r"\$\{([^}]*)\}|\*|\?|[^$*?]+|\$")


def string_like(pattern: str, value: str, variables: dict[str, str]) -> bool:
    """IAM ``StringLike``: policy variables (``${key}``) are substituted first, as literals
    (``${*}``, ``${?}`` and ``${$}`` stand for the character itself); then ``*`` matches any run
    of characters, ``?`` exactly one; case-sensitive, whole string. A variable missing from the
    request makes the condition false."""
    compiled = _compiled(pattern, tuple(sorted(variables.items())))
    return compiled is not None and compiled.fullmatch(value) is not None


@lru_cache(maxsize=1024)  # the suite checks every DynamoDB call against a few patterns
def _compiled(pattern: str, variables: tuple[tuple[str, str], ...]) -> re.Pattern[str] | None:
    """The pattern as a regular expression; None when it names a variable the request lacks."""
    known = dict(variables)
    regex = []
    for token in _PATTERN_TOKENS.finditer(pattern):
        name = token.group(1)
        if name is not None:
            if name in {"*", "?", "$"}:
                regex.append(re.escape(name))
            elif name in known:
                regex.append(re.escape(known[name]))
            else:
                return None
        elif token.group(0) == "*":
            regex.append(".*")
        elif token.group(0) == "?":
            regex.append(".")
        else:
            regex.append(re.escape(token.group(0)))
    return re.compile("".join(regex), flags=re.DOTALL)

"""IAM's ``StringLike`` condition operator, with policy variables: what the tests of the tenant data policy
evaluate its ``dynamodb:LeadingKeys`` patterns with (moto does not enforce IAM conditions)."""

import re

_PATTERN_TOKENS = re.compile(r"\$\{([^}]*)\}|\*|\?|[^$*?]+|\$")


def string_like(pattern: str, value: str, variables: dict[str, str]) -> bool:
    """IAM ``StringLike``: policy variables (``${key}``) are substituted first, as literals
    (``${*}``, ``${?}`` and ``${$}`` stand for the character itself); then ``*`` matches any run
    of characters, ``?`` exactly one; case-sensitive, whole string. A variable missing from the
    request makes the condition false."""
    regex = []
    for token in _PATTERN_TOKENS.finditer(pattern):
        name = token.group(1)
        if name is not None:
            if name in {"*", "?", "$"}:
                regex.append(re.escape(name))
            elif name in variables:
                regex.append(re.escape(variables[name]))
            else:
                return False
        elif token.group(0) == "*":
            regex.append(".*")
        elif token.group(0) == "?":
            regex.append(".")
        else:
            regex.append(re.escape(token.group(0)))
    return re.fullmatch("".join(regex), value, flags=re.DOTALL) is not None

"""Reading the local stack's HTML pages in tests: the URLs a page loads or links to (in an email shown in an
iframe's ``srcdoc`` too), the text of its elements, and a consumer made to fail."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest

# The attributes naming a URL: loaded (src, a stylesheet's href, ReDoc's spec-url) or followed (href, action).
URL_ATTRIBUTES = frozenset({"src", "href", "action", "spec-url"})


@dataclass(frozen=True)
class Url:
    tag: str
    attribute: str
    value: str

    @property
    def loaded(self) -> bool:
        """Fetched as the page shows (a script, a stylesheet, an icon, the spec), not followed on a click."""
        return self.tag not in ("a", "form")


class Page(HTMLParser):
    """A page's URLs (with those of the documents its iframes show, ``srcdoc``), those documents, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[Url] = []
        self.srcdocs: list[str] = []
        self._texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and name in URL_ATTRIBUTES:
                self.urls.append(Url(tag, name, value))
            elif value is not None and name == "srcdoc":
                self.srcdocs.append(value)

    def handle_data(self, data: str) -> None:
        self._texts.append(data)

    @property
    def text(self) -> str:
        """The page's text, whitespace collapsed."""
        return re.sub(r"\s+", " ", " ".join(self._texts)).strip()

    @classmethod
    def of(cls, html: str) -> "Page":
        page = cls()
        page.feed(html)
        page.close()
        for document in page.srcdocs:  # what an email shown in the mailbox would load or link to
            page.urls += cls.of(document).urls
        return page


class ConsumerDown(Exception):
    pass


@contextmanager
def welcome_email_failing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The welcome email consumer fails every message until the block ends."""
    def down(*_: object, **__: object) -> None:
        raise ConsumerDown("SES is down")

    with monkeypatch.context() as patch:
        patch.setattr("atrium.identity.consumers.send_email", down)
        yield

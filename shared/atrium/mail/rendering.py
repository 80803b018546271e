"""Emails rendered from Jinja2 templates (``templates/<name>.txt`` and ``<name>.html``) in the tenant's branding.

The text template's ``subject`` block is the subject. HTML is autoescaped; a variable a template uses but
the sender did not pass is an error (StrictUndefined), not an empty string in someone's inbox.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from atrium.kernel.config import settings
from atrium.mail.branding import Branding

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, keep_trailing_newline=True,
                       autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False))


def render(name: str, *, branding: Branding, unsubscribe_url: str | None = None, **context: Any) -> Rendered:
    variables = {"brand": {"name": branding.display_name, "color": branding.color,
                           "logo_url": str(branding.logo_url) if branding.logo_url else None},
                 "app_name": settings().app_name, "unsubscribe_url": unsubscribe_url, **context}
    environment = _environment()
    text = environment.get_template(f"{name}.txt")
    subject = "".join(text.blocks["subject"](text.new_context(variables)))
    return Rendered(subject=" ".join(subject.split()), text=text.render(variables),
                    html=environment.get_template(f"{name}.html").render(variables))

"""HTML for every page the package makes: the Jinja2 environment (autoescaping on, so text a
user typed is always shown as text) and the :class:`Html` marker a notebook displays as HTML.

Shared by the reports, the overview, the check sheet, the audit page and the index; it
imports nothing heavier than Jinja2, so `cchc audit` does not load the plotting stack.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from jinja2 import Environment, FunctionLoader, select_autoescape

__all__ = ["Html", "render_template", "template_text", "style"]


class Html(str):
    """A piece of HTML that a notebook displays as HTML (and a str everywhere else)."""

    def _repr_html_(self) -> str:
        return str(self)


def template_text(name: str) -> str:
    """A file of the package's ``templates/`` folder (a template, a stylesheet)."""
    return resources.files("cchc_lib").joinpath(f"templates/{name}").read_text("utf-8")


@cache
def _env() -> Environment:
    return Environment(loader=FunctionLoader(template_text),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=False)


def render_template(name: str, **context) -> Html:
    """Render one of the package's templates, escaping every value."""
    return Html(_env().get_template(name).render(**context))


def style() -> Html:
    """The report's stylesheet, to display once at the top of a notebook."""
    return Html(f"<style>{template_text('report.css')}</style>")

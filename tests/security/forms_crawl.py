"""Find the forms a page offers (action, method, fields with their kind and choices), so the
fuzzer follows the real pages as they change instead of a hand-kept list of field names."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, number, date, email, select, checkbox, radio, file, hidden
    choices: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.forms: list[Form] = []
        self._select: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("action") or self.page_path
            self.forms.append(Form(action.split("#")[0], (a.get("method") or "get").lower()))
            return
        if not self.forms or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._select.choices.append(a.get("value", ""))
            return
        form = self.forms[-1]
        name = a["name"]
        if tag == "textarea":
            form.fields[name] = Field(name, "textarea")
        elif tag == "select":
            self._select = form.fields[name] = Field(name, "select", multiple="multiple" in a)
        elif tag == "input":
            kind = a.get("type", "text")
            existing = form.fields.get(name)
            if existing and kind in {"checkbox", "radio"}:
                existing.choices.append(a.get("value", "on"))
                existing.multiple = kind == "checkbox"
            else:
                form.fields[name] = Field(name, kind, choices=[a.get("value", "on")])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_on(html: str, page_path: str) -> list[Form]:
    parser = _FormParser(page_path)
    parser.feed(html)
    return [f for f in parser.forms if f.method == "post"]

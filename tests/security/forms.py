"""The post forms of a page, read from its HTML as a browser would fill them (initial values, first choices)."""
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Forms every page carries in its layout: the language switch and the logout button.
LAYOUT_ACTIONS = ("/i18n/setlang/", "/accounts/logout/")


@dataclass
class Form:
    action: str
    multipart: bool = False
    # name -> list of values, as a browser would send them untouched
    data: dict = field(default_factory=dict)
    # name -> ("text" | "number" | "date" | "select" | "textarea" | "checkbox" | "file" | …, [choice values])
    fields: dict = field(default_factory=dict)

    def post_data(self):
        return {k: (v if len(v) > 1 else v[0]) for k, v in self.data.items() if v}


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self.form = Form(action=a.get("action") or "", multipart="multipart" in (a.get("enctype") or ""))
                self.forms.append(self.form)
            return
        f = self.form
        if f is None or "name" not in a:
            if tag == "option" and self.select is not None:
                self._option(a)
            return
        name, kind = a["name"], (a.get("type") or "text").lower()
        if tag == "input":
            if kind in ("submit", "button", "image", "reset"):
                if name and "value" in a:  # the first submit button's value is sent by a click
                    f.data.setdefault(name, [a["value"]])
                return
            f.fields.setdefault(name, (kind, []))
            if kind in ("checkbox", "radio"):
                f.fields[name][1].append(a.get("value", "on"))
                if "checked" in a:
                    f.data.setdefault(name, []).append(a.get("value", "on"))
                elif kind == "radio":
                    f.data.setdefault(name, [])
            elif kind == "file":
                pass
            else:
                f.data.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select":
            self.select = name
            f.fields[name] = ("select", [])
            f.data.setdefault(name, [])
            self._multiple = "multiple" in a
        elif tag == "textarea":
            self.textarea = name
            f.fields[name] = ("textarea", [])
            f.data[name] = [""]

    def _option(self, a):
        f, name = self.form, self.select
        value = a.get("value", "")
        f.fields[name][1].append(value)
        if "selected" in a:
            if self._multiple:
                f.data[name].append(value)
            else:
                f.data[name] = [value]

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.form is not None and self.select:
            name = self.select
            if not self.form.data.get(name):  # a browser sends the first option of a plain select
                choices = self.form.fields[name][1]
                if choices and not self._multiple:
                    self.form.data[name] = [next((c for c in choices if c), choices[0])]
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea and self.form is not None:
            self.form.data[self.textarea][0] += data


def post_forms(html):
    """The page's own post forms (the layout's language switch and logout left out)."""
    p = _Parser()
    p.feed(html)
    for f in p.forms:  # radio groups with nothing checked: a browser sends nothing
        for k in [k for k, v in f.data.items() if v == []]:
            if f.fields.get(k, ("",))[0] == "radio":
                del f.data[k]
    return [f for f in p.forms if not f.action.startswith(LAYOUT_ACTIONS)]


def csrf_token(html):
    for f in _all(html):
        if f.data.get("csrfmiddlewaretoken"):
            return f.data["csrfmiddlewaretoken"][0]
    return None


def _all(html):
    p = _Parser()
    p.feed(html)
    return p.forms

"""Figure names in the head's words: "本学期共完成维修{repairs.done}项" prints the figure, never runs a template.

A name is a figure's key in braces. {{ and }} write a brace. Anything else in braces is an error shown in
the editor (with the names it may have meant), and the words cannot be submitted while one is there.
"""
import difflib
import re

from django.utils.translation import gettext as _

# {{, }}, or {anything on one line} (at most 80 characters: a longer one is prose with a stray brace).
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]{1,80})\}")


def names_in(text):
    """The names quoted in text, in order (stripped of spaces), escapes left out."""
    return [m.group(1).strip() for m in _TOKEN.finditer(text or "") if m.group(1) is not None]


def substitute(text, values):
    """text with each {name} replaced by values[name] (a string); an unknown name is left as typed.

    Plain string replacement: neither the text nor the values are ever evaluated."""
    def one(match):
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = match.group(1).strip()
        return values[name] if name in values else token

    return _TOKEN.sub(one, text or "")


def name_errors(text, figures):
    """Messages for every name in text that is not a figure's key (figures: {key: label}), with a hint."""
    errors = []
    keys = list(figures)
    by_label = {str(label).strip().lower(): key for key, label in figures.items()}
    for name in dict.fromkeys(names_in(text)):
        if name in figures:
            continue
        guess = by_label.get(name.lower()) or next(iter(difflib.get_close_matches(name, keys, n=1, cutoff=0.6)),
                                                   None)
        if guess:
            errors.append(_("{%(name)s} is not a figure's name. Did you mean {%(guess)s} (%(label)s)?")
                          % {"name": name, "guess": guess, "label": figures[guess]})
        else:
            errors.append(_("{%(name)s} is not a figure's name. Pick one from the list of figures, or type "
                            "{{ and }} to write braces.") % {"name": name})
    return errors


# A number typed by habit at a point's start ("1、", "2.", "3．"): the document numbers the points itself.
_TYPED_NUMBER = re.compile(r"^\d{1,2}\s*[、.．](?!\d)\s*")  # not 2.5吨: a decimal stays whole


def points(text):
    """The numbered points of a chapter: its paragraphs (separated by an empty line), each trimmed, without
    a number the head typed at its start (the document numbers them)."""
    paragraphs = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n"))
    return [_TYPED_NUMBER.sub("", p.strip(), count=1) for p in paragraphs if p.strip()]

"""The summary's forms: they check what was typed; the services decide."""
from django import forms
from django.utils.translation import gettext_lazy as _

from logistics.forms import VersionForm

MAX_WORDS = 20000


class OpeningForm(VersionForm):
    title = forms.CharField(label=_("Title"), max_length=120, required=False,
                            help_text=_("Empty: the school's name, the term and “logistics work summary”."))
    opening = forms.CharField(label=_("Opening paragraph"), max_length=MAX_WORDS, required=False,
                              widget=forms.Textarea(attrs={"rows": 6}))


class ChapterForm(VersionForm):
    title = forms.CharField(label=_("Title"), max_length=100, required=False,
                            help_text=_("Empty: the chapter's usual title."))
    narrative = forms.CharField(label=_("Text"), max_length=MAX_WORDS, required=False,
                                widget=forms.Textarea(attrs={"rows": 14}),
                                help_text=_("Each paragraph (separated by an empty line) is one numbered point. "
                                            "Quote a figure by its name in braces, e.g. {repairs.done}: the "
                                            "number is printed, always up to date; write the unit after it."))


class ReturnForm(VersionForm):
    comment = forms.CharField(label=_("What should change"), max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ArrangeForm(VersionForm):
    """Rows come as chapter-<pk>-title / -hidden / -position fields; add: a new chapter's title."""

    add = forms.CharField(label=_("Add a chapter"), max_length=100, required=False,
                          help_text=_("e.g. 校园绿化, 卫生室, 红十字会"))

    def __init__(self, *args, chapters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.chapters = list(chapters)
        for n, c in enumerate(self.chapters, start=1):
            self.fields[f"chapter-{c.pk}-title"] = forms.CharField(
                label=_("Title"), max_length=100, required=False, initial=c.title)
            self.fields[f"chapter-{c.pk}-hidden"] = forms.BooleanField(label=_("Hide"), required=False,
                                                                        initial=c.hidden)
            self.fields[f"chapter-{c.pk}-position"] = forms.IntegerField(
                label=_("Order"), min_value=1, max_value=99, initial=n)

    def rows(self):
        d = self.cleaned_data
        return [(c.pk, d[f"chapter-{c.pk}-title"], d[f"chapter-{c.pk}-hidden"], d[f"chapter-{c.pk}-position"])
                for c in self.chapters]

    def bound_rows(self):
        """[(chapter, title field, hidden field, position field)] for the template."""
        return [(c, self[f"chapter-{c.pk}-title"], self[f"chapter-{c.pk}-hidden"], self[f"chapter-{c.pk}-position"])
                for c in self.chapters]

"""Lists run together in the reader's language: 、 in Chinese, ", " in English (logistics.services.join_list and
the join_list filter), on pages that used to write 、 in both."""
from django.template import Context, Template
from django.utils import translation

from logistics.services import join_list


def test_a_list_is_joined_in_the_readers_language():
    with translation.override("zh-hans"):
        assert join_list(["张老师", "李老师", "王老师"]) == "张老师、李老师、王老师"
    with translation.override("en"):
        assert join_list(["Zhang", "Li"]) == "Zhang, Li"
        assert join_list([]) == ""


def test_the_filter_escapes_and_joins():
    template = Template("{% load lists %}{{ names|join_list }}")
    with translation.override("en"):
        assert template.render(Context({"names": ["<b>A</b>", "B"]})) == "&lt;b&gt;A&lt;/b&gt;, B"
    with translation.override("zh-hans"):
        assert template.render(Context({"names": ["甲", "乙"]})) == "甲、乙"

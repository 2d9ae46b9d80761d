"""Figure names in the head's words: substituted as plain text, unknown ones listed with a hint, paragraphs as
points. No database: text.py works on strings."""
import pytest
from django.utils import translation

from logistics.summary.text import name_errors, names_in, points, substitute

FIGURES = {"repairs.done": "repairs done", "repairs.total": "repair requests", "repairs.cost": "cost of repairs"}
VALUES = {"repairs.done": "12", "repairs.total": "15", "repairs.cost": "¥1,230.00"}


# --- substitute ------------------------------------------------------------------------------------

def test_known_names_are_replaced_by_their_values():
    text = "本学期共受理报修{repairs.total}项，完成维修{repairs.done}项，维修费用{repairs.cost}。"
    assert substitute(text, VALUES) == "本学期共受理报修15项，完成维修12项，维修费用¥1,230.00。"


def test_double_braces_write_a_brace_and_are_not_names():
    assert substitute("{{repairs.done}}", VALUES) == "{repairs.done}"
    assert substitute("集合 {{a, b}} 与 {{{repairs.done}}}", VALUES) == "集合 {a, b} 与 {12}"
    assert names_in("{{repairs.done}} {repairs.total}") == ["repairs.total"]


def test_spaces_inside_the_braces_are_allowed():
    assert substitute("完成{ repairs.done }项，共{  repairs.total}项", VALUES) == "完成12项，共15项"


def test_an_unknown_name_is_left_as_typed():
    assert substitute("完成{repairs.dnoe}项，{ 随便写的 }", VALUES) == "完成{repairs.dnoe}项，{ 随便写的 }"


def test_values_are_never_run_as_a_template():
    assert substitute("{repairs.done}", {"repairs.done": "{{ 1|add:1 }} {repairs.total}"}) == \
        "{{ 1|add:1 }} {repairs.total}"
    assert substitute("{% if x %}{{ user.password }}", VALUES) == "{% if x %}{ user.password }"


def test_no_text_is_no_text():
    assert substitute("", VALUES) == ""
    assert substitute(None, VALUES) == ""
    assert name_errors(None, FIGURES) == []
    assert points(None) == []


# --- name_errors -----------------------------------------------------------------------------------

def english(text, figures=FIGURES):
    with translation.override("en"):
        return name_errors(text, figures)


def test_known_names_and_escapes_are_no_error():
    assert english("完成{repairs.done}项，共{ repairs.total }项，{{不是名字}}") == []


def test_an_unknown_name_is_an_error_that_says_how_to_write_braces():
    errors = english("这是{nothing.like.it}")
    assert len(errors) == 1
    assert errors[0].startswith("{nothing.like.it} is not a figure's name.")
    assert "{{ and }}" in errors[0]


def test_a_typo_gets_the_name_it_probably_meant():
    assert english("完成{repairs.dnoe}项") == [
        "{repairs.dnoe} is not a figure's name. Did you mean {repairs.done} (repairs done)?"]


def test_a_figures_label_typed_in_braces_gets_its_key():
    errors = english("共{Repair Requests}项")
    assert errors == ["{Repair Requests} is not a figure's name. Did you mean {repairs.total} (repair requests)?"]
    # in Chinese, the label as the head reads it in the list of figures
    assert "{repairs.done}" in english("完成{维修完成数}项", {"repairs.done": "维修完成数"})[0]


def test_a_name_typed_inside_braces_by_mistake_in_chinese_prose():
    errors = english("本学期{共完成维修}项，{repairs.done}项已验收")
    assert len(errors) == 1
    assert errors[0].startswith("{共完成维修} is not a figure's name.")
    assert "Did you mean" not in errors[0]


def test_each_unknown_name_is_listed_once_in_order():
    errors = english("{b.x} {a.y} {b.x} {repairs.done}")
    assert [e.split(" ")[0] for e in errors] == ["{b.x}", "{a.y}"]


def test_a_brace_in_a_long_stretch_of_prose_is_not_a_name():
    long = "{" + "说" * 100 + "}"
    assert english(long) == []
    assert substitute(long, VALUES) == long


def test_the_messages_are_in_the_readers_language():
    msgid = "{%(name)s} is not a figure's name. Did you mean {%(guess)s} (%(label)s)?"
    with translation.override("zh-hans"):
        if translation.gettext(msgid) == msgid:
            pytest.skip("the Chinese catalogue is not compiled with the summary's messages yet")
        message = name_errors("{repairs.dnoe}", FIGURES)[0]
    assert "{repairs.done}" in message and "Did you mean" not in message


# --- points ----------------------------------------------------------------------------------------

def test_paragraphs_separated_by_an_empty_line_are_points():
    text = "  一是加强维修。\n及时回访。\n\n二是规范资产管理。  \n   \n\n\n三是节约用电。\n"
    assert points(text) == ["一是加强维修。\n及时回访。", "二是规范资产管理。", "三是节约用电。"]


def test_a_number_typed_at_a_points_start_is_left_to_the_document():
    assert points("1、加强维修。\n\n2. 规范资产。\n\n3．节约用电。\n\n10、其他") == [
        "加强维修。", "规范资产。", "节约用电。", "其他"]


def test_a_decimal_number_at_a_points_start_is_kept_whole():
    assert points("2.5吨煤用于冬季供暖。\n\n12.8%的报修在当天修好。") == [
        "2.5吨煤用于冬季供暖。", "12.8%的报修在当天修好。"]
    assert points("{repairs.done}项维修") == ["{repairs.done}项维修"]


def test_windows_line_ends_split_the_same_way():
    assert points("一是维修。\r\n\r\n二是资产。\r\n三行") == ["一是维修。", "二是资产。\n三行"]


def test_empty_words_are_no_points():
    assert points("") == []
    assert points(" \n\n \r\n ") == []

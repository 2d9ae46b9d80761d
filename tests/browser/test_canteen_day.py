"""A day in the canteen on a phone, from the canteen manager's home: the morning checks in one tap, a sample of
every dish of the meal, the tableware disinfection, the principal's accompanied meal; the day's page then
shows the meal complete, and the database holds every record."""
import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from canteen.models import (
    AccompaniedMeal,
    CanteenSettings,
    CanteenStaff,
    Disinfection,
    MealKind,
    MenuDish,
    MenuWeek,
    MorningCheck,
    Sample,
)
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def click_and_wait(page, target):
    with page.expect_navigation():
        target.click()


def test_a_whole_day_logged_from_the_canteens_home(live_server, roles_ready, users, school, phone, login):
    CanteenSettings.get()
    today = timezone.localdate()
    for name, days in (("李师傅", 200), ("王阿姨", 90), ("赵师傅", -3)):
        CanteenStaff.objects.create(name=name, certificate_number=f"JK-{name}",
                                    certificate_expires=today + datetime.timedelta(days=days))
    week = MenuWeek.objects.create(week_start=today - datetime.timedelta(days=today.weekday()))
    for n, dish in enumerate(["番茄炒蛋", "青菜豆腐汤"]):
        MenuDish.objects.create(week=week, day=today, meal=MealKind.LUNCH, name=dish, position=n)

    page = login(phone(), "canteen", PASSWORD)
    click_and_wait(page, page.locator(".home-ctas").get_by_role("link", name="Canteen today"))
    expect(page.get_by_role("heading", name="The canteen today")).to_be_visible()

    # Morning checks: everyone normal in one tap, except the cook whose certificate has expired.
    click_and_wait(page, page.locator("#morning-checks h2 a"))
    click_and_wait(page, page.locator("[data-testid=all-normal]"))
    expect(page.locator("[data-testid=off-duty]")).to_have_text("1")
    assert set(MorningCheck.objects.filter(date=today, fit=True).values_list("staff__name", flat=True)) == {
        "李师傅", "王阿姨"}
    assert not MorningCheck.objects.filter(staff__name="赵师傅", fit=True).exists()

    # The meal: a sample of each dish, weight prefilled with the minimum; then the disinfection.
    page.goto(f"{live_server.url}/canteen/")
    click_and_wait(page, page.locator("[data-testid=current-meal]"))
    for dish in ("番茄炒蛋", "青菜豆腐汤"):
        form = page.locator("form.sample-form", has=page.locator(f"input[name=dish][value='{dish}']"))
        expect(form.locator("input[name=grams]")).to_have_value("125")
        form.locator("input[name=fridge_c]").fill("4")
        click_and_wait(page, form.get_by_role("button", name=f"Take sample · {dish}"))
    expect(page.locator(".dish-row.done")).to_have_count(2)
    disinfection = page.locator("#disinfection form")
    disinfection.locator("input[name=temperature_c]").fill("120")
    disinfection.locator("input[name=minutes]").fill("30")
    click_and_wait(page, disinfection.get_by_role("button", name="Log disinfection"))

    # The accompanied meal: the principal ate with the pupils.
    page.locator("#accompanied summary").click()
    accompanied = page.locator("#accompanied form")
    accompanied.locator("select[name=person]").select_option(label=users["principal"].get_full_name())
    click_and_wait(page, accompanied.get_by_role("button", name="Record"))

    # Back on the day's page the meal is complete; nothing is left to do for it.
    page.goto(f"{live_server.url}/canteen/")
    lunch = page.locator(".today-meal[data-kind=lunch]")
    expect(lunch).to_contain_text("2 samples kept")
    expect(lunch.locator(".badge.b-overdue")).to_have_count(0)
    expect(lunch.locator(".badge.b-open")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    assert sorted(Sample.objects.filter(meal__date=today).values_list("dish", flat=True)) == ["番茄炒蛋", "青菜豆腐汤"]
    assert Disinfection.objects.filter(meal__date=today, temperature_c=120, minutes=30).count() == 1
    assert AccompaniedMeal.objects.get(meal__date=today).person == users["principal"]

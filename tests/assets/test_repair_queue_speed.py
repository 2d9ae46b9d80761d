"""The repair queue at a big school's size: photos counted for the rows shown only, a bounded number of queries
whatever the rows, filter or page, and its choices drawn without a template per option."""
import pytest
from django.urls import reverse

from assets.forms import RepairFilterForm
from assets.models import RepairPhoto

from .test_repair_queries import build_requests

QUEUE_MAX = 15  # measured 14 with 10 and with 600 requests (the page's photos counted in one query)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("n", [10, 600])
def test_queue_query_count_does_not_grow_plain_filtered_searched_or_deep(
        users, school, client, django_assert_max_num_queries, n):
    build_requests(n, users, school)
    client.force_login(users["head"])
    for params in ({}, {"status": "open"}, {"q": "故障 1"}, {"location": school["room"].pk},
                   {"assignee": users["worker"].pk}, {"page": "last"}, {"page": "99999"}):
        with django_assert_max_num_queries(QUEUE_MAX):
            response = client.get(reverse("assets:repair_queue"), params)
        assert response.status_code == 200
        assert response.context["page"].object_list


def test_each_row_shows_its_own_photo_count(users, school, client):
    created = build_requests(40, users, school)  # every third request has one photo
    RepairPhoto.objects.bulk_create([RepairPhoto(request=created[0], image="repairs/2026/01/photo.png", width=64,
                                                 height=48, uploaded_by=users["teacher"]) for _ in range(2)])
    client.force_login(users["head"])
    for params in ({}, {"page": "2"}):
        response = client.get(reverse("assets:repair_queue"), params)
        for r in response.context["page"].object_list:
            assert r.photo_count == RepairPhoto.objects.filter(request=r).count(), r.number
    response = client.get(reverse("assets:repair_queue"))
    first = next(r for r in response.context["page"].object_list if r.pk == created[0].pk)
    assert first.photo_count == 3
    assert 'class="photo-count"' in response.content.decode()


def test_my_requests_count_photos_of_their_rows(users, school, client):
    created = build_requests(12, users, school)
    client.force_login(users["teacher"])
    response = client.get(reverse("assets:repair_mine"))
    rows = response.context["page"].object_list
    assert rows
    for r in rows:
        assert r.photo_count == RepairPhoto.objects.filter(request=r).count()
    assert any(r.photo_count for r in rows) == any(r.reporter == users["teacher"] for r in created[::3])


def test_the_queue_filter_draws_workers_and_places_with_the_chosen_ones_selected(users, school):
    from assets import selectors

    form = RepairFilterForm({"assignee": str(users["worker"].pk), "location": str(school["room"].pk),
                             "status": "open"}, workers=selectors.workers())
    assert form.is_valid(), form.errors
    worker = str(form["assignee"])
    assert f'<option value="{users["worker"].pk}" selected>{users["worker"].get_full_name()}</option>' in worker
    assert users["head"].get_full_name() not in worker  # the head is no worker
    place = str(form["location"])
    assert f'<option value="{school["room"].pk}" selected>一(1)班</option>' in place
    assert '<optgroup label="教学楼">' in place
    assert '<option value="open" selected>' in str(form["status"])

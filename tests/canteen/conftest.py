"""What the canteen's tests share: the school (tests/conftest.py) with the canteen's settings, a kitchen's staff
and a supplier with a valid licence."""
import datetime

import pytest
from django.utils import timezone

from canteen.models import CanteenSettings, CanteenStaff, Supplier


@pytest.fixture
def canteen_settings(school):
    """The canteen's settings at their defaults: lunch served, 125 g, 48 h, 0–8 °C."""
    return CanteenSettings.get()


@pytest.fixture
def kitchen(canteen_settings):
    """Two cooks with valid health certificates, one whose certificate has expired."""
    today = timezone.localdate()
    return {
        "li": CanteenStaff.objects.create(name="李师傅", post=CanteenStaff.Post.COOK, certificate_number="JK-001",
                                          certificate_expires=today + datetime.timedelta(days=200)),
        "wang": CanteenStaff.objects.create(name="王阿姨", post=CanteenStaff.Post.HELPER, certificate_number="JK-002",
                                            certificate_expires=today + datetime.timedelta(days=20)),
        "zhao": CanteenStaff.objects.create(name="赵师傅", post=CanteenStaff.Post.COOK, certificate_number="JK-003",
                                            certificate_expires=today - datetime.timedelta(days=3)),
    }


@pytest.fixture
def supplier(canteen_settings):
    return Supplier.objects.create(name="青山蔬菜配送中心", licence_number="JY13301060012345",
                                   licence_expires=timezone.localdate() + datetime.timedelta(days=300),
                                   goods="蔬菜")

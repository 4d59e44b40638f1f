import pytest

from apps.delivery.models import Suppression
from apps.delivery.services import suppression_add


def test_suppression_list_shows_address_and_why(staff_client, db):
    suppression_add(address="gone@example.org", reason="hard_bounce", source="sendgrid event e1")
    response = staff_client.get("/admin/delivery/suppression/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "gone@example.org" in body and "Hard bounce" in body and "sendgrid event e1" in body


def test_an_operator_removes_a_suppression_and_it_is_recorded(staff_client, db):
    s = suppression_add(address="gone@example.org", reason="hard_bounce", source="e1")
    response = staff_client.post("/admin/delivery/suppression/", {
        "action": "remove", "_selected_action": [s.pk],
    })
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.removed_by == "op" and s.removed_at is not None


def test_an_operator_adds_an_address_by_hand(staff_client, db):
    response = staff_client.post("/admin/delivery/suppression/add/", {
        "address": "Complained@Example.com", "detail": "asked by phone",
    })
    assert response.status_code == 302
    s = Suppression.objects.get()
    assert (s.address, s.reason, s.source) == ("complained@example.com", "manual", "admin: op")


def test_delivery_events_list_renders(staff_client, db):
    assert staff_client.get("/admin/delivery/deliveryevent/").status_code == 200

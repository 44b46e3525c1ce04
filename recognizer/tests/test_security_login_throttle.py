"""Logins are throttled (django-axes): after too many wrong passwords, even the right one is
refused for a while, on the admin's own login page."""
import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

USER, PASSWORD = "ops", "right-pw-123456789"


@pytest.fixture(autouse=True)
def quick_hashes(settings):
    """A cheap password hash: the subject is throttling, not hashing cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def login(client, password):
    return client.post("/admin/login/?next=/admin/", {"username": USER, "password": password})


def logged_in(client):
    return client.get("/admin/").status_code == 200


def test_thirty_wrong_passwords_then_the_right_one_is_refused():
    User.objects.create_user(USER, password=PASSWORD, is_staff=True)
    client = Client()
    for n in range(30):
        login(client, f"wrong-{n}")
    response = login(client, PASSWORD)
    assert response.status_code in (403, 429)
    assert not logged_in(client)


def test_a_few_mistakes_do_not_lock_anyone_out():
    User.objects.create_user(USER, password=PASSWORD, is_staff=True)
    client = Client()
    for n in range(3):
        assert login(client, f"wrong-{n}").status_code == 200  # the form again, with its error
    assert login(client, PASSWORD).status_code == 302
    assert logged_in(client)


def test_another_address_is_not_locked_out_with_the_first(settings):
    User.objects.create_user(USER, password=PASSWORD, is_staff=True)
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(settings.AXES_FAILURE_LIMIT + 2):
        login(attacker, f"wrong-{n}")
    assert login(attacker, PASSWORD).status_code in (403, 429)
    owner = Client(REMOTE_ADDR="198.51.100.7")
    assert login(owner, PASSWORD).status_code == 302

"""The curation admin is driven as a curator (not a superuser) through Django's test client."""
import pytest
from django.contrib.auth.models import Group, User


@pytest.fixture
def curator(db):
    user = User.objects.create_user("cora", is_staff=True)
    user.groups.add(Group.objects.get(name="curator"))
    return user


@pytest.fixture
def cclient(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def admin_nlp(monkeypatch, nlp):
    """The admin loads its own pipeline once per process; tests share the session one."""
    monkeypatch.setattr("quotes.admin.common.shared_nlp", lambda: nlp)
    return nlp

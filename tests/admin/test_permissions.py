"""What the curator group may and may not do in the admin."""
import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from quotes.models import Quote
from tests.admin.helpers import QUOTES, run_action
from tests.factories import QuoteFactory

pytestmark = pytest.mark.django_db


def test_curator_cannot_manage_users_or_delete_quotes(cclient):
    assert cclient.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert cclient.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert cclient.get(reverse("admin:auth_user_add")).status_code == 403
    index = cclient.get(reverse("admin:index")).content.decode()
    assert "Quotes" in index and "/admin/auth/user/" not in index
    quote = QuoteFactory()
    resp = run_action(cclient, "delete_selected", [quote])
    assert Quote.objects.filter(pk=quote.pk).exists()
    assert "No action selected." in resp.content.decode() or resp.status_code in (200, 403)


def test_curator_group_has_no_auth_permissions():
    perms = Group.objects.get(name="curator").permissions.all()
    assert perms.exists()
    assert not perms.exclude(content_type__app_label="quotes").exists()
    assert not perms.filter(codename__in=["delete_quote", "delete_article", "delete_speaker"]).exists()


def test_non_staff_cannot_open_the_admin(client):
    client.force_login(User.objects.create_user("reader"))
    assert client.get(reverse(QUOTES)).status_code == 302

"""Driving the admin's changelists and actions through Django's test client."""
from django.urls import reverse

QUOTES = "admin:quotes_quote_changelist"


def listed(client, url_name=QUOTES, **params):
    resp = client.get(reverse(url_name), params)
    assert resp.status_code == 200
    return [obj.pk for obj in resp.context["cl"].result_list]


def listed_objs(client, url_name, **params):
    return list(client.get(reverse(url_name), params).context["cl"].result_list)


def run_action(client, action, objs, url_name=QUOTES, **extra):
    data = {"action": action, "_selected_action": [o.pk for o in objs], **extra}
    return client.post(reverse(url_name), data, follow=True)


def messages_of(resp):
    return [str(m) for m in resp.context["messages"]]

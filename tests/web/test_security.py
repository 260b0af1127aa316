"""Production settings: the deployment checklist passes, admin logins are throttled, and
every response carries a content security policy."""
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    # The production environment: none of the developer or test-runner switches.
    dropped = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def test_check_deploy_reports_no_issue_in_production_settings():
    key = "".join(secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(50))
    result = manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0", SECRET_KEY=key,
                    ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_no_secret_key_is_committed():
    from django.conf import settings

    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert ".env" not in tracked and "db.sqlite3" not in tracked
    if "SECRET_KEY" not in os.environ:
        assert settings.SECRET_KEY.startswith("dev-only-insecure-key")


@pytest.mark.django_db
class TestAdminLoginThrottling:
    PASSWORD = "a-long-curator-passphrase"

    @pytest.fixture(autouse=True)
    def curator(self, settings):
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        return User.objects.create_user("cora", password=self.PASSWORD, is_staff=True)

    def login(self, client, password, ip="203.0.113.7", username="cora"):
        return client.post(
            "/admin/login/?next=/admin/", {"username": username, "password": password}, REMOTE_ADDR=ip
        )

    def test_five_wrong_passwords_lock_that_username_from_that_address(self, client):
        for _ in range(4):
            assert self.login(client, "guess").status_code == 200  # the form again, with an error
        assert self.login(client, "guess").status_code == 429  # the fifth failure locks
        locked = self.login(client, self.PASSWORD)  # now even the right password is refused
        assert locked.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_the_lock_is_per_address_so_nobody_can_lock_a_curator_out_from_elsewhere(self, client):
        for _ in range(5):
            self.login(client, "guess", ip="198.51.100.66")
        response = self.login(client, self.PASSWORD, ip="203.0.113.7")
        assert response.status_code == 302 and response["Location"] == "/admin/"

    def test_a_successful_login_resets_the_count(self, client):
        for _ in range(4):
            self.login(client, "guess")
        assert self.login(client, self.PASSWORD).status_code == 302
        client.logout()
        for _ in range(4):
            self.login(client, "guess")
        assert self.login(client, self.PASSWORD).status_code == 302

    def test_the_lock_lifts_after_the_cool_off(self, client, settings):
        import datetime as dt

        from axes.models import AccessAttempt

        for _ in range(5):
            self.login(client, "guess")
        assert self.login(client, self.PASSWORD).status_code == 429
        assert settings.AXES_COOLOFF_TIME == dt.timedelta(minutes=15)
        AccessAttempt.objects.update(attempt_time=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
        assert self.login(client, self.PASSWORD).status_code == 302

    def test_behind_a_proxy_the_forwarded_address_counts(self, client, settings):
        settings.TRUSTED_PROXIES = 1
        for _ in range(5):
            client.post("/admin/login/", {"username": "cora", "password": "guess"},
                        REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.66")
        ok = client.post("/admin/login/?next=/admin/", {"username": "cora", "password": self.PASSWORD},
                         REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
        assert ok.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/login/", "/"])
def test_responses_carry_a_strict_content_security_policy(client, path):
    response = client.get(path)
    policy = dict(
        (part.split()[0], part.split()[1:]) for part in response["Content-Security-Policy"].split("; ")
    )
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline script, no eval, no other origin
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_admin_pages_need_no_inline_script():
    """The CSP forbids inline script; the admin templates we ship must not rely on one."""
    import re

    templates = [*(ROOT / "templates").rglob("*.html"), *(ROOT / "quotes").rglob("templates/**/*.html")]
    assert len(templates) > 10, "the template folders moved: this test would check nothing"
    for template in templates:
        for tag in re.findall(r"<script\b[^>]*>", template.read_text()):
            assert "src=" in tag or "application/ld+json" in tag, f"{template}: inline {tag}"

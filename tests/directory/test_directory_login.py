"""Staff sign in with the city's directory (issue 31), against a real slapd with StartTLS.

Real login POSTs through CKAN's form, as a browser sends them; the directory is changed the
way the city's administrators would change it (a group left, an account disabled or deleted).
"""
from __future__ import annotations

import html
import logging
import re

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories

from ckanext.hamm.directory import sync
from tests.directory.conftest import PASSWORDS
from tests.directory.slapd import ADMIN_PASSWORD, SERVICE_PASSWORD
from tests.login.test_throttle import THROTTLED, _token, sign_in
from tests.support.portal import PLUGINS, clean_db  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.usefixtures("with_plugins", "clean_db", "ldap_config"),
]


def signed_in(answer) -> bool:
    return answer.status_code == 302 and "/user/login" not in answer.headers.get("Location", "")


def role(user_name: str, organisation: str):
    user, group = model.User.get(user_name), model.Group.get(organisation)
    member = (model.Session.query(model.Member)
              .filter(model.Member.group_id == group.id, model.Member.table_id == user.id,
                      model.Member.table_name == "user", model.Member.state == "active").first())
    return member.capacity if member else None


@pytest.fixture
def organisations():
    return {name: factories.Organization(name=name) for name in ("umweltamt", "verkehr")}


def test_only_the_right_password_signs_in(app, organisations):
    assert not signed_in(sign_in(app, "emuster", "falsch"))
    assert not signed_in(sign_in(app, "emuster", ""))  # an anonymous bind must not count as a sign-in
    assert model.User.get("emuster") is None
    assert signed_in(sign_in(app, "emuster", PASSWORDS["emuster"]))


def test_the_first_sign_in_creates_the_user_from_the_directory(app, organisations):
    assert signed_in(sign_in(app, "EMuster", PASSWORDS["emuster"]))
    user = model.User.get("emuster")
    assert (user.email, user.fullname, user.state) == ("erika.muster@stadt.hamm.de", "Erika Muster", "active")
    assert not user.sysadmin
    # The second sign-in finds the same user.
    assert signed_in(sign_in(app, "emuster", PASSWORDS["emuster"]))
    assert model.Session.query(model.User).filter(model.User.email == "erika.muster@stadt.hamm.de").count() == 1


def test_groups_give_organisation_roles_and_sysadmin(app, organisations):
    for login in ("emuster", "mnested", "jkunze", "kadmin"):
        assert signed_in(sign_in(app, login, PASSWORDS[login]))
    assert (role("emuster", "umweltamt"), role("emuster", "verkehr")) == ("editor", "member")
    assert role("mnested", "umweltamt") == "editor"  # through GG-Team-Klima inside GG-Umwelt-Redaktion
    assert role("jkunze", "umweltamt") == "admin"
    assert model.User.get("kadmin").sysadmin and not model.User.get("emuster").sysadmin


def test_the_roles_hold_in_the_portal(app, organisations):
    """An editor from the directory may add a dataset to their organisation, not to another."""
    import ckan.plugins.toolkit as tk

    assert signed_in(sign_in(app, "mnested", PASSWORDS["mnested"]))
    context = {"user": "mnested", "ignore_auth": False}
    assert tk.check_access("package_create", dict(context), {"owner_org": organisations["umweltamt"]["id"]})
    with pytest.raises(tk.NotAuthorized):
        tk.check_access("package_create", dict(context), {"owner_org": organisations["verkehr"]["id"]})
    with pytest.raises(tk.NotAuthorized):
        tk.check_access("organization_member_create", dict(context), {"id": organisations["umweltamt"]["id"]})


def test_a_group_left_takes_the_role_away_at_the_next_sign_in(app, organisations, directory):
    assert signed_in(sign_in(app, "wechsler", PASSWORDS["wechsler"]))
    assert role("wechsler", "umweltamt") == "editor"
    directory.leave_group("wechsler", "GG-Umwelt-Redaktion")
    assert signed_in(sign_in(app, "wechsler", PASSWORDS["wechsler"]))
    assert role("wechsler", "umweltamt") is None and role("wechsler", "verkehr") == "member"


def test_a_role_given_by_hand_stays(app, organisations):
    assert signed_in(sign_in(app, "emuster", PASSWORDS["emuster"]))
    factories.Organization(name="kultur", users=[{"name": "emuster", "capacity": "editor"}])
    assert signed_in(sign_in(app, "emuster", PASSWORDS["emuster"]))
    assert role("emuster", "kultur") == "editor"


def test_the_sync_takes_roles_and_accounts_away(app, organisations, directory):
    for login in ("leaver", "ausgetreten", "geloescht"):
        assert signed_in(sign_in(app, login, PASSWORDS[login]))
    directory.leave_group("leaver", "GG-Umwelt-Redaktion")
    directory.disable("ausgetreten")
    directory.delete("geloescht")
    assert sync.sync_all() == {"active": 1, "deactivated": 2}
    assert role("leaver", "umweltamt") is None and model.User.get("leaver").state == "active"
    for login in ("ausgetreten", "geloescht"):
        assert model.User.get(login).state == "deleted" and role(login, "umweltamt") is None


def test_a_disabled_account_cannot_sign_in(app, organisations):
    assert not signed_in(sign_in(app, "gesperrt", PASSWORDS["gesperrt"]))
    assert model.User.get("gesperrt") is None


def test_a_deactivated_users_api_token_is_refused(app, organisations, directory):
    import ckan.plugins.toolkit as tk

    assert signed_in(sign_in(app, "jkunze", PASSWORDS["jkunze"]))
    token = tk.get_action("api_token_create")({"user": "jkunze"}, {"user": "jkunze", "name": "skript"})["token"]
    headers = {"Authorization": token}
    assert app.get("/api/3/action/organization_list_for_user", headers=headers).json["result"]
    directory.disable("jkunze")
    sync.sync_all()
    answer = app.get("/api/3/action/organization_list_for_user", headers=headers)
    assert answer.json.get("result") in (None, [])
    assert app.post("/api/3/action/package_create", headers=headers,
                    json={"name": "nach-dem-austritt", "owner_org": organisations["umweltamt"]["id"]}).status_code == 403


def test_a_deactivated_users_session_ends(app, organisations, directory):
    """The browser that was signed in is anonymous after the sync (CKAN logs out inactive users)."""
    browser = app.test_client()
    page = browser.get("/user/login")
    answer = browser.post("/user/login", follow_redirects=False,
                          data={"login": "sitzung", "password": PASSWORDS["sitzung"],
                                "_csrf_token": _token(page.get_data(as_text=True))})
    assert signed_in(answer)
    assert browser.get("/dashboard/datasets").status_code == 200
    directory.disable("sitzung")
    sync.sync_all()
    assert browser.get("/dashboard/datasets", follow_redirects=False).status_code in (302, 403)


def test_a_directory_user_cannot_sign_in_with_a_local_password(app, organisations):
    """"Passwort vergessen" sets a local password; it must not outlive the directory account."""
    assert signed_in(sign_in(app, "emuster", PASSWORDS["emuster"]))
    user = model.User.get("emuster")
    user.password = "Lokales-Passwort-99"
    model.Session.commit()
    assert not signed_in(sign_in(app, "emuster", "Lokales-Passwort-99"))


def test_local_accounts_keep_working(app, organisations):
    citizen = factories.User(name="buergerin", password="Buergerin-Passwort-1")
    assert signed_in(sign_in(app, citizen["name"], "Buergerin-Passwort-1"))
    admin = factories.Sysadmin(name="notfall-admin", password="Notfall-Passwort-1")
    assert signed_in(sign_in(app, admin["name"], "Notfall-Passwort-1"))


def test_a_local_account_with_the_same_name_keeps_its_own(app, organisations):
    factories.User(name="emuster", email="erika@example.org", password="Buergerin-Passwort-1")
    assert signed_in(sign_in(app, "emuster", PASSWORDS["emuster"]))
    assert model.User.get("emuster").email == "erika@example.org"
    assert model.User.get("emuster-2").email == "erika.muster@stadt.hamm.de"
    assert signed_in(sign_in(app, "emuster", "Buergerin-Passwort-1"))


def test_an_e_mail_address_of_another_account_is_no_500(app, organisations):
    """CKAN's addresses are unique: the sign-in is refused (a sysadmin decides), the page is the form."""
    factories.User(name="privat", email="erika.muster@stadt.hamm.de", password="Privat-Passwort-1")
    answer = sign_in(app, "emuster", PASSWORDS["emuster"])
    assert answer.status_code == 200 and not signed_in(answer)
    assert model.User.get("emuster") is None


def test_starttls_is_required(app, organisations, directory, ldap_config, monkeypatch):
    monkeypatch.setitem(ldap_config, "ckanext.hamm.ldap.uri", directory.plain.uri)
    assert not signed_in(sign_in(app, "emuster", PASSWORDS["emuster"]))
    # Only the developer's flag allows a directory without TLS.
    monkeypatch.setitem(ldap_config, "ckanext.hamm.ldap.allow_plain", True)
    assert signed_in(sign_in(app, "emuster", PASSWORDS["emuster"]))


def test_a_certificate_of_another_ca_is_refused(app, organisations, directory, ldap_config, monkeypatch):
    monkeypatch.setitem(ldap_config, "ckanext.hamm.ldap.ca_file", str(directory.other_ca))
    assert not signed_in(sign_in(app, "emuster", PASSWORDS["emuster"]))


def test_a_refused_sign_in_keeps_the_typed_login(app, organisations):
    """Staff who mistype the password retype only the password; the login is shown escaped."""
    for login, password in (("emuster", "falsch"), ("gesperrt", PASSWORDS["gesperrt"]),
                            ('niemand"><b>x', "falsch")):
        body = sign_in(app, login, password).get_data(as_text=True)
        assert "Anmeldung fehlgeschlagen" in body or "Login failed" in body
        field = re.search(r'<input id="field-login"[^>]*>', body)
        assert field is not None
        value = re.search(r'value="([^"<>]*)"', field.group(0))  # escaped: no raw quote or tag inside
        assert value is not None and html.unescape(value.group(1)) == login, field.group(0)
        assert re.search(r'<input id="field-password"[^>]*value=""', body)  # never the password


@pytest.mark.ckan_config("ckanext.hamm.security.login_failures_per_account", 3)
def test_the_throttle_answers_directory_and_unknown_accounts_alike(app, organisations):
    for _ in range(3):
        sign_in(app, "mnested", "falsch")
        sign_in(app, "niemand-im-verzeichnis", "falsch")
    known = sign_in(app, "mnested", PASSWORDS["mnested"])
    unknown = sign_in(app, "niemand-im-verzeichnis", "falsch")
    for answer in (known, unknown):
        assert answer.status_code == 429 and any(t in answer.get_data(as_text=True) for t in THROTTLED)


def test_no_password_or_bind_secret_in_logs_pages_or_database(app, organisations, directory, caplog):
    caplog.set_level(logging.DEBUG)
    pages = [sign_in(app, "emuster", PASSWORDS["emuster"]), sign_in(app, "kadmin", "falsch-geheim-123"),
             sign_in(app, "gesperrt", PASSWORDS["gesperrt"])]
    directory.leave_group("emuster", "GG-Kantine")
    sync.sync_all()
    secrets = [PASSWORDS["emuster"], PASSWORDS["gesperrt"], "falsch-geheim-123", SERVICE_PASSWORD, ADMIN_PASSWORD]
    logged = "\n".join(record.getMessage() for record in caplog.records) + caplog.text
    assert "directory: user emuster created" in logged  # the log was captured
    texts = [page.get_data(as_text=True) for page in pages]
    rows = model.Session.execute(sa.text(
        "SELECT u::text FROM \"user\" u UNION ALL SELECT a::text FROM activity a "
        "UNION ALL SELECT t::text FROM api_token t")).scalars().all()
    for secret in secrets:
        assert secret not in logged
        assert not any(secret in text for text in texts)
        assert not any(secret in row for row in rows)

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from moderation import services
from moderation.models import AuditLogEntry, Document, DocumentVersion, RulesAcceptance
from moderation.services import check_can_post
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def publish_v2(staff, *, reacceptance=False):
    rules = Document.objects.get(slug="rules")
    return services.document_version_publish(
        actor=staff,
        document=rules,
        change_summary="Rule 2 is stricter; rule 8 is new.",
        rules=[
            ("Be kind and assume good intent", "No insults."),
            ("Stay strictly on topic", "Off-topic threads are closed."),
            ("No spam", "No ads."),
            ("A brand new rule", "Explained in **Markdown**."),
        ],
        requires_reacceptance=reacceptance,
    )


def test_rules_page_lists_numbered_rules_of_the_current_version(client):
    response = client.get("/rules/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="rule-1"' in body and "Be kind and assume good intent" in body
    assert "Version 1" in body


def test_rules_page_is_linked_from_every_page(client):
    assert 'href="/rules/"' in client.get("/members/").content.decode()


def test_rules_page_query_count_is_constant(client, django_assert_num_queries, staff):
    client.get("/rules/")  # warms the cached community settings
    # 1 document, 1 newest version + publisher, 1 its rules (prefetch); anonymous: no session.
    with django_assert_num_queries(3):
        client.get("/rules/")
    publish_v2(staff)
    with django_assert_num_queries(3):
        assert "A brand new rule" in client.get("/rules/").content.decode()


def test_staff_publish_a_new_version_from_the_form_with_current_rules_copied(staff_client, staff):
    form = staff_client.get("/rules/publish/")
    assert form.status_code == 200
    assert "Be kind and assume good intent" in form.content.decode()  # copied for editing
    data = {
        "change_summary": "Merged two rules.",
        "body": "",
        "requires_reacceptance": "on",
        "rules-TOTAL_FORMS": "3",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "rules-0-title": "Be kind",
        "rules-0-explanation": "Really.",
        "rules-1-title": "Gone rule",
        "rules-1-DELETE": "on",
        "rules-2-title": "",
    }
    response = staff_client.post("/rules/publish/", data)
    assert response.status_code == 302
    version = DocumentVersion.objects.get(document__slug="rules", number=2)
    assert [r.title for r in version.rules.all()] == ["Be kind"]
    assert version.requires_reacceptance and version.published_by == staff
    assert AuditLogEntry.objects.filter(action="document_publish").count() == 1
    assert "Merged two rules." in staff_client.get("/rules/").content.decode()


def test_publish_form_rejects_an_empty_change_summary(staff_client):
    response = staff_client.post(
        "/rules/publish/",
        {
            "change_summary": "",
            "rules-TOTAL_FORMS": "0",
            "rules-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert not DocumentVersion.objects.filter(number=2).exists()


@pytest.mark.parametrize("who", ["anonymous", "member", "moderator"])
def test_only_staff_can_publish_a_version(client, who, member, moderator):
    if who == "member":
        client.force_login(member)
    elif who == "moderator":
        client.force_login(moderator)
    response = client.post(
        "/rules/publish/",
        {"change_summary": "x", "rules-TOTAL_FORMS": "0", "rules-INITIAL_FORMS": "0"},
    )
    assert response.status_code == (302 if who == "anonymous" else 403)
    assert DocumentVersion.objects.filter(document__slug="rules").count() == 1


def test_old_versions_and_their_differences_stay_readable(client, staff):
    publish_v2(staff)
    versions = client.get("/rules/versions/").content.decode()
    assert "Rule 2 is stricter" in versions
    old = client.get("/rules/versions/1/").content.decode()
    assert "This is an old version." in old and "Search before you ask" in old
    diff = client.get("/rules/diff/?from=1&to=2")
    assert diff.status_code == 200
    html = diff.content.decode()
    assert "<caption>" in html and 'scope="col"' in html
    assert '<ins><span class="visually-hidden">added: </span>4. A brand new rule</ins>' in html
    assert "removed: </span>3. Search before you ask" in html


@pytest.mark.parametrize("query,status", [("?from=1&to=9", 404), ("?from=x&to=1", 400)])
def test_diff_with_bad_versions_is_a_clean_error(client, query, status):
    assert client.get("/rules/diff/" + query).status_code == status


def test_other_pages_are_managed_the_same_way(client, staff_client):
    assert "Moderation policy" in client.get("/pages/moderation-policy/").content.decode()
    assert client.get("/pages/ambassador-terms/versions/").status_code == 200
    assert client.get("/pages/nope/").status_code == 404
    response = staff_client.post(
        "/pages/ambassador-terms/publish/",
        {
            "change_summary": "Perks updated.",
            "body": "New **terms**.",
            "rules-TOTAL_FORMS": "0",
            "rules-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    page = client.get("/pages/ambassador-terms/").content.decode()
    assert "<strong>terms</strong>" in page and "Version 2" in page


def test_signup_acceptance_records_the_version_and_time(member):
    services.rules_accept_on_signup(member=member)
    acceptance = RulesAcceptance.objects.get(member=member)
    assert acceptance.version.number == 1 and acceptance.accepted_at is not None


def test_signup_form_records_rules_acceptance(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"
    response = client.post(
        reverse("account_signup"),
        {
            "email": "newbie@example.com",
            "username": "newbie",
            "password1": "pw-Xy7!long-enough",
            "password2": "pw-Xy7!long-enough",
            "accept_rules": "on",
        },
    )
    assert response.status_code == 302
    assert RulesAcceptance.objects.filter(member__username="newbie", version__number=1).exists()


def test_a_version_requiring_reacceptance_blocks_posting_until_accepted(client, staff):
    member = MemberFactory()
    services.rules_accept_on_signup(member=member)
    check_can_post(member)  # fine before the change
    publish_v2(staff, reacceptance=True)
    with pytest.raises(PermissionDenied) as exc:
        check_can_post(member)
    assert 'href="/rules/accept/"' in str(exc.value)
    client.force_login(member)
    page = client.get("/rules/")
    assert page.status_code == 200 and "The rules have changed" in page.content.decode()
    assert client.get("/rules/accept/").status_code == 200
    response = client.post("/rules/accept/")
    assert response.status_code == 302
    check_can_post(member)


def test_a_version_without_reacceptance_does_not_block(staff, member):
    publish_v2(staff, reacceptance=False)
    check_can_post(member)


def test_accepting_needs_login(client):
    response = client.post("/rules/accept/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_missing_versions_are_404(client):
    assert client.get("/rules/versions/9/").status_code == 404
    assert client.get("/pages/moderation-policy/versions/9/").status_code == 404

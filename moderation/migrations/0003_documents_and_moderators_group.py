"""The three managed pages with a first version, and the Moderators group with the
``moderation.moderate`` permission. Reversible."""

from django.db import migrations

from config.markdown import render_markdown

RULES = [
    ("Be kind and assume good intent",
     "Disagree with ideas, not people. No insults, name-calling or personal attacks."),
    ("Stay on topic",
     "Post questions and ideas about the product in the right category. Off-topic threads may "
     "be moved or closed."),
    ("Search before you ask",
     "Look for an existing question or idea first. Duplicates are closed and linked to the "
     "original."),
    ("No spam or self-promotion",
     "No advertising, affiliate links or repeated posts. New members' links are limited."),
    ("Keep private things private",
     "Never post passwords, API keys, invoices or anyone's personal data."),
    ("No harassment or hate",
     "Threats, harassment and hateful content are removed and lead to a ban."),
    ("Respect moderators' decisions",
     "If you disagree with a decision, appeal it once through the link in the notification. "
     "Do not repost removed content."),
]

POLICY = """How moderation works here.

- Members flag posts that break a rule; enough flags hide a post until a moderator reviews it.
- New members' first posts and posts caught by spam checks wait for approval.
- Moderators may approve, reject, hide, restore, edit, lock, move or close posts, and warn,
  silence, suspend or ban members. Every action is logged and cites a rule.
- You are told about every decision that concerns you and can appeal each decision once.
"""

TERMS = """The ambassador program terms.

- Every member has a personal referral link. A referral counts once the new member has
  verified their e-mail and made a real contribution.
- Self-referrals and second accounts do not count; suspicious referrals are reviewed.
- Staff may revoke ambassador status and perks when these terms or the community rules are
  broken.
"""


def forwards(apps, schema_editor):
    Document = apps.get_model("moderation", "Document")
    DocumentVersion = apps.get_model("moderation", "DocumentVersion")
    Rule = apps.get_model("moderation", "Rule")
    pages = [
        ("rules", "Community rules", 0, "", RULES),
        ("moderation-policy", "Moderation policy", 1, POLICY, []),
        ("ambassador-terms", "Ambassador program terms", 2, TERMS, []),
    ]
    for slug, title, position, body, rules in pages:
        document, created = Document.objects.get_or_create(
            slug=slug, defaults={"title": title, "position": position}
        )
        if not created or DocumentVersion.objects.filter(document=document).exists():
            continue
        version = DocumentVersion.objects.create(
            document=document, number=1, change_summary="First version.", body=body,
            body_html=render_markdown(body),
        )
        Rule.objects.bulk_create(
            [
                Rule(version=version, number=i, title=t, explanation=e,
                     explanation_html=render_markdown(e))
                for i, (t, e) in enumerate(rules, start=1)
            ]
        )

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name="Moderators")
    content_type, _ = ContentType.objects.get_or_create(app_label="moderation", model="queueitem")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="moderate",
        defaults={"name": "Can use the moderation inbox and apply sanctions"},
    )
    group.permissions.add(permission)


def backwards(apps, schema_editor):
    Document = apps.get_model("moderation", "Document")
    Document.objects.filter(slug__in=["rules", "moderation-policy", "ambassador-terms"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_rules_flags_sanctions_audit"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

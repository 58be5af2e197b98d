import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from members.models import MODERATORS_GROUP, Member

PASSWORD = "correct-horse-battery-42"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    display_name = factory.Faker("name")
    trust_level = Member.TrustLevel.REGULAR
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class ModeratorFactory(MemberFactory):
    trust_level = Member.TrustLevel.LEADER

    @factory.post_generation
    def moderator_group(self, create, extracted, **kwargs):
        if create:
            group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
            self.groups.add(group)


def logged_in(member) -> Client:
    """A test client signed in as ``member`` (one per member, to mix viewers in a test)."""
    client = Client()
    client.force_login(member)
    return client


def sign_up(client: Client, **overrides: str):
    """Post the sign-up form for newbie@example.com (``overrides`` change its fields)."""
    data = {
        "email": "newbie@example.com",
        "username": "newbie",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": "New Bie",
        "accept_rules": "on",
        **overrides,
    }
    return client.post(reverse("account_signup"), data)

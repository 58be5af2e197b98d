import pytest
from django.urls import reverse

from config.urltemplates import UrlTemplate


@pytest.mark.parametrize(
    "username", ["ann", "a.b+c@d-e_f", "Ёжик", "x y", "o'neil", "a%b", "a?b", "a#b", "a&b;c=d"]
)
def test_a_filled_address_is_what_reverse_gives(username):
    assert UrlTemplate("members:profile", "username")(username=username) == reverse(
        "members:profile", kwargs={"username": username}
    )


def test_several_arguments_in_any_order():
    go = UrlTemplate("moderation:content-go", "object_id", "content_type_id")
    assert go(content_type_id=3, object_id=41) == reverse(
        "moderation:content-go", kwargs={"content_type_id": 3, "object_id": 41}
    )
    assert UrlTemplate("moderation:item-reject", "pk")(pk=7) == "/moderation/items/7/reject/"


def test_a_value_cannot_add_a_path_segment():
    assert UrlTemplate("members:profile", "username")(username="a/b") == "/members/a%2Fb/"

"""The content registry: one owner per model, other apps add on_publish callbacks."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from forum.models import Comment
from moderation import registry


@pytest.fixture
def scratch(monkeypatch):
    """An empty registry for the test (the apps' registrations stay untouched)."""
    monkeypatch.setattr(registry, "CONTENT", {})
    return registry.CONTENT


def test_a_second_owner_for_a_model_is_refused_instead_of_replacing_the_first(scratch):
    def first(obj):
        pass

    def second(obj):
        pass

    registry.register_content(Comment, label="comment", on_publish=first)
    with pytest.raises(ImproperlyConfigured):
        registry.register_content(Comment, label="comment", on_publish=second)
    assert scratch["forum.comment"].on_publish is first


def test_registering_the_same_callbacks_again_keeps_the_extras(scratch):
    def owner(obj):
        pass

    def extra(obj):
        pass

    registry.register_content(Comment, label="comment", on_publish=owner)
    registry.register_on_publish(Comment, extra)
    registry.register_content(Comment, label="comment", on_publish=owner)  # ready() again
    registry.register_on_publish(Comment, extra)
    assert scratch["forum.comment"].extra_on_publish == [extra]


def test_publish_runs_the_owner_then_the_extras_in_order(scratch):
    calls = []
    registry.register_content(Comment, label="comment", on_publish=lambda o: calls.append("own"))
    registry.register_on_publish(Comment, lambda o: calls.append("a"))
    registry.register_on_publish(Comment, lambda o: calls.append("b"))
    registry.CONTENT["forum.comment"].publish(object())
    assert calls == ["own", "a", "b"]


def test_an_extra_callback_needs_the_owner_registered_first(scratch):
    with pytest.raises(ImproperlyConfigured):
        registry.register_on_publish(Comment, lambda o: None)

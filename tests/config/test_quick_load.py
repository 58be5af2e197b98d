"""Rows of the hottest models become instances without ``Model.__init__``
(``config.db.QuickLoad``): the same instance Django's own way gives, deferred columns loaded
on first use, saves and refreshes as before, and Django's way back when someone listens to
``pre_init``/``post_init``."""

import pytest
from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from config.db import QuickLoad
from forum.models import Answer, Category, Comment, Question, Tag
from ideas.models import Idea
from members.models import Member, Notification
from tests.factories import MemberFactory
from tests.forum.factories import AnswerFactory, CommentFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_the_hot_models_load_quickly():
    for model in (Member, Notification, Question, Answer, Comment, Idea, Tag, Category):
        assert issubclass(model, QuickLoad), model
        assert model.from_db.__func__ is QuickLoad.from_db.__func__  # first among the bases


def _as_django_loads(model, pk, **only):
    """The instance Django's own ``Model.from_db`` builds for the same row."""
    queryset = model.objects.filter(pk=pk)
    if only:
        queryset = queryset.only(*only["columns"])
    quick = queryset.get()
    original = QuickLoad.__dict__["from_db"]
    try:
        del QuickLoad.from_db  # Model.from_db again
        slow = queryset.all().get()
    finally:
        QuickLoad.from_db = original
    return quick, slow


def test_an_instance_is_what_djangos_way_gives():
    answer = AnswerFactory()
    quick, slow = _as_django_loads(Answer, answer.pk)
    assert quick.__dict__.keys() == slow.__dict__.keys()
    for name, value in slow.__dict__.items():
        if name != "_state":
            assert quick.__dict__[name] == value, name
    assert (quick._state.adding, quick._state.db) == (False, "default")
    assert quick == slow and quick.get_deferred_fields() == set()


def test_columns_not_loaded_are_deferred_and_load_on_use():
    question = QuestionFactory(title="How do I export?")
    quick, slow = _as_django_loads(Question, question.pk, columns=["id", "score"])
    assert quick.get_deferred_fields() == slow.get_deferred_fields()
    assert "title" in quick.get_deferred_fields()
    with CaptureQueriesContext(connection) as captured:
        assert quick.title == "How do I export?"
    assert len(captured.captured_queries) == 1


def test_a_quickly_loaded_row_saves_refreshes_and_relates():
    comment = CommentFactory(body="First words")
    loaded = Comment.objects.select_related("author").get(pk=comment.pk)
    assert loaded.author == comment.author  # built by the related populator
    assert loaded.author._state.adding is False
    loaded.body = "Second words"
    loaded.save(update_fields=["body"])
    Comment.objects.filter(pk=comment.pk).update(body="Third words")
    loaded.refresh_from_db()
    assert loaded.body == "Third words"
    partial = Comment.objects.only("id").get(pk=comment.pk)
    partial.refresh_from_db(fields=["body"])
    assert partial.body == "Third words"


def test_a_listener_on_init_gets_djangos_way_back():
    member = MemberFactory()
    seen = []

    def listen(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_init.connect(listen, sender=Member)
    try:
        assert Member.objects.get(pk=member.pk).pk == member.pk
    finally:
        post_init.disconnect(listen, sender=Member)
    assert seen == [member.pk]


def test_other_models_keep_djangos_way():
    from forum.models import QuestionVote

    assert QuestionVote.from_db.__func__ is Model.from_db.__func__


def test_a_pickled_instance_comes_back_as_djangos_way_gives_it():
    """A value in the cache (a question page's data) is pickled instances: unpickled with
    their class itself (pickle's NEWOBJ, which any release can read), they come back as
    Django's own pickling gives them (their related rows, deferred columns and the Django
    version they were pickled with, checked as before)."""
    import pickle
    import warnings

    from django.db.models.base import DJANGO_VERSION_PICKLE_KEY

    answer = AnswerFactory()
    loaded = Answer.objects.select_related("author").only("id", "score", "author__id").get()
    loaded.note = "kept"
    data = pickle.dumps([loaded, loaded], pickle.HIGHEST_PROTOCOL)
    # Nothing but the model and the standard library's NEWOBJ: an earlier release reads it.
    assert b"model_unpickle" not in data and b"config" not in data
    back, again = pickle.loads(data)
    assert back is again and back == answer and back.note == "kept"
    assert back.get_deferred_fields() == loaded.get_deferred_fields()
    assert (back._state.adding, back._state.db) == (False, "default")
    assert back._state.fields_cache["author"] == answer.author
    with CaptureQueriesContext(connection) as captured:
        assert back.author.pk == answer.author_id
    assert not captured.captured_queries
    _unpickle, args, state = loaded.__reduce__()
    state[DJANGO_VERSION_PICKLE_KEY] = "1.0"
    with pytest.warns(RuntimeWarning, match="does not match"), warnings.catch_warnings():
        _unpickle(*args).__setstate__(state)

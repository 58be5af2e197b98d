import threading

import pytest
from django.db import connection
from django.urls import reverse

from forum.models import AnswerVote, QuestionVote, ReputationEvent
from forum.services.votes import vote_cast
from members.models import Member
from tests.factories import MemberFactory
from tests.forum.factories import AnswerFactory, QuestionFactory


@pytest.mark.django_db
def test_member_up_votes_changes_and_withdraws(member_client, member):
    answer = AnswerFactory()
    url = reverse("forum:vote", args=["answer", answer.pk])
    member_client.post(url, {"value": "up"})
    answer.refresh_from_db()
    answer.author.refresh_from_db()
    assert answer.score == 1 and answer.author.reputation == 1
    member_client.post(url, {"value": "up"})  # voting the same way again counts once
    answer.refresh_from_db()
    assert answer.score == 1
    member_client.post(url, {"value": "down"})
    answer.refresh_from_db()
    answer.author.refresh_from_db()
    assert answer.score == -1 and answer.author.reputation == -1
    member_client.post(url, {"value": "none"})
    answer.refresh_from_db()
    answer.author.refresh_from_db()
    assert answer.score == 0 and answer.author.reputation == 0
    assert not AnswerVote.objects.exists()
    assert sum(ReputationEvent.objects.values_list("delta", flat=True)) == 0


@pytest.mark.django_db
def test_question_votes_over_htmx_return_the_vote_box(member_client):
    question = QuestionFactory()
    response = member_client.post(
        reverse("forum:vote", args=["question", question.pk]),
        {"value": "up"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'id="vote-question-{question.pk}"' in response.content.decode()
    assert QuestionVote.objects.get().value == 1


@pytest.mark.django_db
def test_no_votes_on_own_posts(client, member):
    answer = AnswerFactory(author=member)
    client.force_login(member)
    response = client.post(reverse("forum:vote", args=["answer", answer.pk]), {"value": "up"})
    assert response.status_code == 403
    assert "own post" in response.content.decode()
    assert not AnswerVote.objects.exists()


@pytest.mark.django_db
def test_new_members_cannot_down_vote(client, new_member):
    answer = AnswerFactory()
    client.force_login(new_member)
    response = client.post(
        reverse("forum:vote", args=["answer", answer.pk]), {"value": "down"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    assert "New members cannot down-vote yet" in response.content.decode()
    assert not AnswerVote.objects.exists()
    client.post(reverse("forum:vote", args=["answer", answer.pk]), {"value": "up"})
    assert AnswerVote.objects.get().value == 1


@pytest.mark.django_db
def test_anonymous_cannot_vote_and_bad_value_is_400(client, member):
    answer = AnswerFactory()
    response = client.post(reverse("forum:vote", args=["answer", answer.pk]), {"value": "up"})
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(member)
    assert (
        client.post(
            reverse("forum:vote", args=["answer", answer.pk]), {"value": "sideways"}
        ).status_code
        == 400
    )
    assert not AnswerVote.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_up_votes_add_up_exactly():
    answer = AnswerFactory()
    voters = [MemberFactory() for _ in range(20)]
    barrier = threading.Barrier(20)
    errors = []

    def vote(member):
        try:
            barrier.wait()
            vote_cast(member=member, post=answer, value=1)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(m,)) for m in voters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    answer.refresh_from_db()
    assert answer.score == 20
    assert Member.objects.get(pk=answer.author_id).reputation == 20

    # The same member voting twice at once counts once.
    twice = MemberFactory()
    barrier2 = threading.Barrier(2)

    def vote_again():
        try:
            barrier2.wait()
            vote_cast(member=twice, post=answer, value=1)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote_again) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    answer.refresh_from_db()
    assert answer.score == 21
    assert AnswerVote.objects.filter(answer=answer).count() == 21
    assert Member.objects.get(pk=answer.author_id).reputation == 21


@pytest.mark.django_db
def test_a_burst_of_votes_from_new_accounts_counts_in_the_score_but_not_in_reputation(client):
    answer = AnswerFactory()
    url = reverse("forum:vote", args=["answer", answer.pk])
    for _ in range(6):
        client.force_login(MemberFactory(trust_level=Member.TrustLevel.NEW))
        assert client.post(url, {"value": "up"}).status_code == 302

    answer.refresh_from_db()
    answer.author.refresh_from_db()
    assert answer.score == 6
    assert answer.author.reputation == 0
    assert not ReputationEvent.objects.exists()


@pytest.mark.django_db
def test_a_new_members_vote_withdrawn_after_promotion_takes_no_reputation_away(client):
    question = QuestionFactory()
    voter = MemberFactory(trust_level=Member.TrustLevel.NEW)
    client.force_login(voter)
    url = reverse("forum:vote", args=["question", question.pk])
    client.post(url, {"value": "up"})
    Member.objects.filter(pk=voter.pk).update(trust_level=Member.TrustLevel.BASIC)

    client.post(url, {"value": "down"})
    client.post(url, {"value": "none"})

    question.refresh_from_db()
    question.author.refresh_from_db()
    assert question.score == 0 and question.author.reputation == 0
    assert not ReputationEvent.objects.exists()
    # A fresh vote of the now Basic member moves reputation.
    client.post(url, {"value": "up"})
    question.author.refresh_from_db()
    assert question.author.reputation == 1


def test_vote_buttons_are_named_for_screen_readers(member_client):
    from tests.forum.factories import QuestionFactory

    question = QuestionFactory()
    html = member_client.get(question.get_absolute_url()).content.decode()
    assert 'aria-label="Up-vote" title="Up-vote">▲</button>' in html
    assert 'aria-label="Down-vote" title="Down-vote">▼</button>' in html

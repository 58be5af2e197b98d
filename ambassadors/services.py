"""Ambassador program writes.

Contract used by other apps (keep these signatures):
- ``referral_attribute_signup(request=, member=)``: called right after a sign-up.
- ``referral_on_contribution(member=)``: called (inside the transaction) whenever a member's
  contribution (question, answer, comment, idea) becomes published.
"""


def referral_attribute_signup(*, request, member) -> None:
    return None


def referral_on_contribution(*, member) -> None:
    return None

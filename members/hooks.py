"""What happens to a member, for the apps above members to react to.

Members is the lowest app: it cannot call moderation or the ambassador program. Instead it
(and the apps above it) send these signals, and the apps that care connect a receiver once,
in their ``AppConfig.ready`` with a ``dispatch_uid``. Receivers call services; they hold no
logic of their own.
"""

from django.dispatch import Signal

# A new account was created by the sign-up form. Arguments: ``member``, ``request``.
member_signed_up = Signal()

# A member's post, answer, idea or comment was published. Argument: ``member``.
member_contributed = Signal()

# A member was suspended or banned. Arguments: ``member``, ``reason``.
member_sanctioned = Signal()

# Someone signed up to a private community and their application waits for a decision.
# Argument: ``application`` (a ``MembershipApplication``).
member_applied = Signal()
# A member's account was deleted (by themselves, or erased by staff): ``member`` is the
# anonymous placeholder it became, ``actor`` the staff member who erased it (``None`` when the
# member deleted it themselves), ``reason``. Moderation records it in the audit log.
member_erased = Signal()

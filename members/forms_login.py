"""allauth's log-in form, with our label (a module of its own: allauth imports members.forms
for the sign-up form while its own forms module loads)."""

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    """The label names what to type: allauth's says "Login", which Russian renders as the verb
    ("Войти"), and repeats itself as a placeholder too long for the box."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Username or e-mail")
        login.widget.attrs.pop("placeholder", None)

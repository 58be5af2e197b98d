from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=False)


class AvatarForm(forms.Form):
    picture = forms.FileField(
        label=_("Picture"),
        allow_empty_file=False,
        help_text=_("JPEG, PNG, GIF or WebP; cut to a square around its centre."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )

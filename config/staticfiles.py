"""The static files' storage in production: WhiteNoise's (hashed names, compressed copies),
with each file's address worked out once per process.

``{% static %}`` and Jinja2's ``static()`` ask the storage for an address ~9 times on every
page (the style sheet, icons, manifest, htmx and the page's scripts), and each answer costs
~30 µs: a look-up in the manifest, then cleaning and joining the URL. The manifest is read
once when the process starts and never changes while it runs (a deploy starts new
processes), so an address, once worked out, stays right for the life of the process."""

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage

# Names come from templates, never from requests; the bound is a guard all the same.
MOST_ADDRESSES = 2000


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._addresses: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        address = self._addresses.get(name)
        if address is None:
            address = super().url(name)
            if len(self._addresses) < MOST_ADDRESSES:
                self._addresses[name] = address
        return address

import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "ru" / "LC_MESSAGES"


@pytest.fixture
def msgfmt():
    path = shutil.which("msgfmt")
    if path is None:
        pytest.fail("gettext's msgfmt is required (apt-get install gettext)")
    return path


def test_russian_translation_is_complete(msgfmt):
    result = subprocess.run(
        [msgfmt, "--statistics", "--check-format", "-o", "/dev/null", str(LOCALE / "django.po")],
        capture_output=True,
        text=True,
        check=True,
    )
    report = result.stderr + result.stdout
    assert "untranslated" not in report and "fuzzy" not in report, report


def test_compiled_russian_catalog_is_up_to_date(msgfmt, tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        [msgfmt, "--check-format", "-o", str(compiled), str(LOCALE / "django.po")], check=True
    )
    assert compiled.read_bytes() == (LOCALE / "django.mo").read_bytes(), (
        "locale/ru/LC_MESSAGES/django.mo is stale: run make messages"
    )

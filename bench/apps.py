from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Installed only with VECHE_BENCH=1: the floor view and the bench_prepare command."""

    name = "bench"
    default_auto_field = "django.db.models.BigAutoField"

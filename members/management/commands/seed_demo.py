import importlib
import time

from django.core.management.base import BaseCommand

from config.seeding import APPS, DEFAULT_SIZES, SeedContext


class Command(BaseCommand):
    help = "Fill the site with a realistic demo community. Safe to run twice."

    def add_arguments(self, parser):
        for key, default in DEFAULT_SIZES.items():
            parser.add_argument(f"--{key.replace('_', '-')}", type=int, default=default)
        parser.add_argument("--seed", type=int, default=20261123)
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, **options):
        import random

        sizes = {key: options[key] for key in DEFAULT_SIZES}
        ctx = SeedContext(
            stdout=self.stdout,
            rng=random.Random(options["seed"]),
            sizes=sizes,
            quiet=options["quiet"],
        )
        started = time.monotonic()
        for app in APPS:
            name = app if "." in app else f"{app}.demo"
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            ctx.log(f"{app}:")
            module.seed(ctx)
        ctx.log(f"Demo data ready in {time.monotonic() - started:.1f}s.")

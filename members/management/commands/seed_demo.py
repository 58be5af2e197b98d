import random
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from config.seeding import DEFAULT_SIZES, SeedContext, seeders


class Command(BaseCommand):
    help = "Fill the site with a realistic demo community. Safe to run twice."

    def add_arguments(self, parser: ArgumentParser) -> None:
        for key, default in DEFAULT_SIZES.items():
            parser.add_argument(f"--{key.replace('_', '-')}", type=int, default=default)
        parser.add_argument("--seed", type=int, default=20261123)
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        sizes = {key: options[key] for key in DEFAULT_SIZES}
        ctx = SeedContext(
            stdout=self.stdout,
            rng=random.Random(options["seed"]),
            sizes=sizes,
            quiet=options["quiet"],
        )
        started = time.monotonic()
        for label, seed in seeders():
            ctx.log(f"{label}:")
            seed(ctx)
        ctx.log(f"Demo data ready in {time.monotonic() - started:.1f}s.")

"""Celery application.

Without ``REDIS_URL`` the settings turn on ``task_always_eager`` so jobs run in-process
(development, demos, the SQLite test suite).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Tasks read from the primary, even run eagerly inside a web request (config/replicas.py).
app = Celery("veche", task_cls="config.replicas:PrimaryTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

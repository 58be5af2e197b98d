from . import admin_qa  # noqa: F401 - registers the Q&A admin

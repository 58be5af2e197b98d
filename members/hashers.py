"""The password hasher: Argon2id with the parameters OWASP's Password Storage Cheat Sheet
gives as its first choice (19 MiB of memory, 2 passes, 1 lane). Memory-hard, so a GPU gains
little on it, and about 30 ms of one core per log-in where Django's default PBKDF2 (1,000,000
iterations) took about 190 ms: log-ins were most of the server's time under the mixed
benchmark's writes. Passwords stored with PBKDF2 still verify and are re-hashed with this at
the member's next log-in (``PASSWORD_HASHERS``)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    algorithm = "argon2"  # the same encoded format as Django's: its parameters are stored
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

"""Signals the referral program sends for the apps above it, inside the service's transaction
(a receiver's rows vanish with a rollback). Receivers call services and hold no logic."""

from django.dispatch import Signal

# A referral qualified (once per referral). Argument: ``referral``.
referral_qualified = Signal()

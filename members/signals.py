"""Cache invalidation only: no business behaviour lives in signals."""

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db.models.signals import m2m_changed, pre_delete
from django.dispatch import receiver

from .models import Member, moderator_cache_key


def _forget(ids) -> None:
    cache.delete_many([moderator_cache_key(pk) for pk in ids])


@receiver(m2m_changed, sender=Member.groups.through)
def forget_moderator_flag(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse:  # group.user_set changed: pk_set holds member ids
        if action == "pre_clear":  # afterwards the group's members are gone from the table
            _forget(Member.objects.filter(groups=instance).values_list("pk", flat=True))
        elif action in ("post_add", "post_remove"):
            _forget(pk_set or ())
    elif action.startswith("post_"):
        cache.delete(moderator_cache_key(instance.pk))


@receiver(pre_delete, sender=Group)
def forget_moderator_flags_of_group(sender, instance, **kwargs):
    _forget(Member.objects.filter(groups=instance).values_list("pk", flat=True))

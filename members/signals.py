"""Cache invalidation only: no business behaviour lives in signals."""

from django.core.cache import cache
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import Member, moderator_cache_key


@receiver(m2m_changed, sender=Member.groups.through)
def forget_moderator_flag(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # group.user_set changed: pk_set holds member ids
        ids = pk_set or Member.objects.filter(groups=instance).values_list("pk", flat=True)
        cache.delete_many([moderator_cache_key(pk) for pk in ids])
    else:
        cache.delete(moderator_cache_key(instance.pk))

"""Keep excerpts and hashes, not whole posts forever: texts older than the retention are cleared."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import Post


def purge_old_texts(now=None) -> int:
    cutoff = (now or timezone.now()) - timedelta(days=settings.WATCH_TEXT_RETENTION_DAYS)
    return Post.objects.filter(found_at__lt=cutoff).exclude(text="").update(text="")

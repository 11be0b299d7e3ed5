"""Each blog's profile: what it writes about, how often, how sponsored, in which language."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .profile import DecayedProfile


class BlogProfile(models.Model):
    blog = models.OneToOneField("blogs.Blog", on_delete=models.CASCADE, related_name="profile")
    # Decayed sums (see profile.py), as of `decayed_at`.
    terms = models.JSONField(default=dict, help_text=_("vocabulaire récent : racine → poids"))
    words = models.JSONField(default=dict, help_text=_("racine → mot tel qu'écrit"))
    terms_length = models.FloatField(default=0)
    topic_mass = models.JSONField(default=dict)
    languages = models.JSONField(default=dict)
    decayed_at = models.DateTimeField(null=True, blank=True)
    # The last post folded in: posts with a larger id are new to this profile.
    posts_seen_until = models.BigIntegerField(default=0)
    # Exact counts over the last 90 days.
    posts_90d = models.PositiveIntegerField(default=0)
    gifted_90d = models.PositiveIntegerField(default=0)
    sponsored_90d = models.PositiveIntegerField(default=0)
    giveaways_90d = models.PositiveIntegerField(default=0)
    posts_per_month = models.FloatField(default=0)
    last_post_at = models.DateTimeField(null=True, blank=True, db_index=True)
    comments_per_post = models.FloatField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("profil de blog")

    def __str__(self) -> str:
        return f"{self.blog}"

    @property
    def decayed(self) -> DecayedProfile:
        return DecayedProfile(as_of=self.decayed_at, terms=self.terms, words=self.words, length=self.terms_length,
                              topic_mass=self.topic_mass, languages=self.languages)

    @property
    def topic_weights(self) -> dict[str, float]:
        return self.decayed.topic_weights

    @property
    def vocabulary(self) -> list[str]:
        return self.decayed.vocabulary()

    @property
    def commercial_90d(self) -> int:
        return self.gifted_90d + self.sponsored_90d + self.giveaways_90d

    @property
    def sponsored_share(self) -> float:
        return self.commercial_90d / self.posts_90d if self.posts_90d else 0.0

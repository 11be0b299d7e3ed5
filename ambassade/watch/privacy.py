"""What the veille forgets when a person is erased: their blog's posts, kept only as dated rows."""

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from .models import Post


def forget_blog(blog) -> None:
    Post.objects.filter(blog=blog).update(title="", url=f"https://effacé.invalid/{blog.pk}", excerpt="", text="",
                                          guid=Concat(Value("effacé-"), Cast("id", CharField())))

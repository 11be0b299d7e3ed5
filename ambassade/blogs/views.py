import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassade.accounts.access import get_scoped_or_404, staff_view
from ambassade.privacy import gdpr as privacy

from . import gdpr
from .models import AccessAction, Blog, Blogger, BlogStatus, Platform

# Which blogs the veille is not reading right now: the ones a CM must look at before
# trusting that "no article" means no article.
WATCH_FILTERS = {
    "failing": (gettext_lazy("Veille en échec"), Q(feed__error_count__gte=1) | Q(feed__gone=True)),
    "unchecked": (gettext_lazy("Jamais vérifiés"), Q(feed__isnull=True) | Q(feed__last_checked_at__isnull=True)),
}


# Client viewers read their operations, never the agency's address book: agency=True.
@staff_view(agency=True)
def blog_list(request):
    blogs = Blog.objects.for_membership(request.membership).search(request.GET.get("q", ""))
    platform = request.GET.get("platform", "")
    if platform in Platform.values:
        blogs = blogs.filter(platform=platform)
    status = request.GET.get("status", "")
    if status in BlogStatus.values:
        blogs = blogs.filter(status=status)
    topic = request.GET.get("topic", "")
    if topic:
        blogs = blogs.filter(topics__icontains=topic)
    watch = request.GET.get("watch", "")
    if watch in WATCH_FILTERS:
        blogs = blogs.filter(WATCH_FILTERS[watch][1])
    page = Paginator(blogs.select_related("feed").prefetch_related("bloggers"), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "platforms": Platform.choices,
        "statuses": BlogStatus.choices,
        "watch_filters": [(key, label) for key, (label, _q) in WATCH_FILTERS.items()],
        "filters": {"q": request.GET.get("q", ""), "platform": platform, "status": status, "topic": topic,
                    "watch": watch},
    }
    template = "blogs/_blog_rows.html" if request.htmx else "blogs/blog_list.html"
    return render(request, template, context)


@staff_view(agency=True)
def blog_detail(request, pk):
    blog = get_scoped_or_404(Blog.objects.for_membership(request.membership), pk=pk)
    placements = blog.placements.select_related("operation", "operation__client").order_by("-created_at")
    feed = getattr(blog, "feed", None)
    posts = blog.posts.order_by("-published_at")[:10]
    profile = getattr(blog, "profile", None)  # built by targeting from the posts the veille found
    return render(
        request,
        "blogs/blog_detail.html",
        {"blog": blog, "bloggers": blog.bloggers.prefetch_related("emails"), "placements": placements,
         "feed": feed, "posts": posts, "profile": profile},
    )


@staff_view(agency=True)
def blogger_list(request):
    bloggers = Blogger.objects.for_membership(request.membership).select_related("blog").prefetch_related("emails")
    query = request.GET.get("q", "").strip()
    if query:
        bloggers = bloggers.filter(first_name__icontains=query) | bloggers.filter(
            last_name__icontains=query
        ) | bloggers.filter(pseudonym__icontains=query) | bloggers.filter(emails__address__icontains=query)
        bloggers = bloggers.distinct()
    page = Paginator(bloggers, 50).get_page(request.GET.get("page"))
    return render(request, "blogs/blogger_list.html", {"page": page, "q": query})


@staff_view(agency=True)
def blogger_detail(request, pk):
    blogger = get_scoped_or_404(
        Blogger.objects.for_membership(request.membership).select_related("blog"), pk=pk
    )
    gdpr.log_access(blogger, AccessAction.VIEW, user=request.user)
    return render(request, "blogs/blogger_detail.html", {
        "blogger": blogger, "emails": blogger.emails.all(),
        "access_logs": blogger.access_logs.select_related("user")[:50]})


@staff_view(manage=True, agency=True)
def blogger_export(request, pk):
    """The agency answers a request for access: everything held, as JSON (the access is logged)."""
    blogger = get_scoped_or_404(Blogger.objects.for_membership(request.membership).select_related("blog"), pk=pk)
    gdpr.log_access(blogger, AccessAction.EXPORT, user=request.user)
    response = HttpResponse(json.dumps(privacy.export(blogger), ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="blogueur-{blogger.pk}.json"'
    return response


@staff_view(manage=True, agency=True)
def blogger_erase(request, pk):
    """The agency erases on the person's request (by mail, by phone): same erasure as the person's own."""
    blogger = get_scoped_or_404(Blogger.objects.for_membership(request.membership).select_related("blog"), pk=pk)
    if request.method == "POST" and not blogger.erased_at:
        privacy.erase(blogger, user=request.user)
        messages.success(request, _("Données effacées ; l'adresse ne pourra pas être réimportée."))
    return redirect("blogger_detail", pk=blogger.pk)

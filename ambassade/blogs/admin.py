from django.contrib import admin

from .models import Blog, Blogger, BloggerEmail


class BloggerInline(admin.StackedInline):
    model = Blogger
    extra = 0
    fields = ["first_name", "last_name", "pseudonym", "legal_basis", "source", "cadence", "opted_out_at"]


class EmailInline(admin.TabularInline):
    model = BloggerEmail
    extra = 0
    exclude = ["organisation"]


@admin.register(Blog)
class BlogAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "platform", "language", "status", "organisation"]
    list_filter = ["organisation", "platform", "status", "language"]
    search_fields = ["name", "url", "url_key"]
    inlines = [BloggerInline]


@admin.register(Blogger)
class BloggerAdmin(admin.ModelAdmin):
    list_display = ["display_name", "blog", "legal_basis", "cadence", "opted_out_at"]
    list_filter = ["organisation", "legal_basis", "cadence"]
    search_fields = ["first_name", "last_name", "pseudonym", "emails__address"]
    inlines = [EmailInline]

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            obj.organisation = form.instance.organisation
            obj.save()
        formset.save_m2m()

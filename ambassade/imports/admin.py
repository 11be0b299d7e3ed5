from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["filename", "organisation", "status", "total", "processed", "created_at"]
    exclude = ["content"]

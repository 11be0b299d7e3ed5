from django.contrib import admin

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "to_address", "direction", "status", "send_after", "sent_at"]
    list_filter = ["direction", "status"]
    readonly_fields = ["idempotency_key"]

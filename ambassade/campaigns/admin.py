from django.contrib import admin

from .models import Client, Operation, Placement, PlacementEvent


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]


@admin.register(Operation)
class OperationAdmin(admin.ModelAdmin):
    list_display = ["name", "client", "kind", "status", "starts_on", "ends_on"]
    list_filter = ["organisation", "kind", "status"]
    search_fields = ["name", "brand"]


class EventInline(admin.TabularInline):
    model = PlacementEvent
    extra = 0
    # History is a record: it is written by Placement.move, never edited by hand.
    readonly_fields = ["from_status", "to_status", "actor", "user", "note", "at"]
    can_delete = False


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["blog", "operation", "status", "status_changed_at"]
    list_filter = ["status", "operation"]
    # Status changes go through the board so that the history is kept.
    readonly_fields = ["status", "status_changed_at"]
    inlines = [EventInline]

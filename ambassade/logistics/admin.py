from django.contrib import admin

from .models import Product, Shipment, StockMovement


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "sku", "client", "category", "unit_cost"]
    list_filter = ["organisation", "client"]
    search_fields = ["name", "sku"]


@admin.register(StockMovement)
class StockMovementAdmin(admin.ModelAdmin):
    list_display = ["product", "kind", "quantity", "placement", "at"]
    list_filter = ["kind"]


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ["placement", "product", "carrier", "tracking_number", "shipped_at", "received_at"]

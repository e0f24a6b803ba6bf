from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "gongkai.inquiries"
    verbose_name = "政民互动"

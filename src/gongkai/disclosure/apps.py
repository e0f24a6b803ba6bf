from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "gongkai.disclosure"

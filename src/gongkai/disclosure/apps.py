from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "gongkai.disclosure"

    def ready(self):
        # Models are importable only once the registry is ready (Django's rule for ready()).
        from gongkai.search.sources import register

        from .search_source import ItemSource

        register(ItemSource())

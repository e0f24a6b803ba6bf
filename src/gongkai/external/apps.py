from django.apps import AppConfig


class ExternalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongkai.external"
    verbose_name = "平台外机关"

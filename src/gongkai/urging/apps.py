from django.apps import AppConfig


class UrgingConfig(AppConfig):
    name = "gongkai.urging"
    verbose_name = "督办"

from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "gongkai.organizations"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Organization
        from .sitehosts import site_hosts_changed

        # Whichever way a body changes (admin, service, shell), every app server
        # reloads the host map once the change commits (docs/platform.md).
        def changed(sender, raw=False, **kwargs):
            if not raw:
                site_hosts_changed()

        post_save.connect(changed, sender=Organization, weak=False, dispatch_uid="site-hosts")
        post_delete.connect(changed, sender=Organization, weak=False, dispatch_uid="site-hosts-d")

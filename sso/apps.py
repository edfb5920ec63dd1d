from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "sso"
    verbose_name = "Single sign-on"

    def ready(self):
        from allauth.account.signals import user_logged_in

        from . import saml_config
        from .services import sso_login_record

        saml_config.install()
        # The identity providers (client secrets, certificates) are configured on /sso/ by
        # the jobcentre's admin, audited; never in the Django admin, which would show them.
        import contextlib

        from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
        from django.contrib import admin

        for model in (SocialApp, SocialToken, SocialAccount):
            with contextlib.suppress(admin.sites.NotRegistered):
                admin.site.unregister(model)
        user_logged_in.connect(sso_login_record, dispatch_uid="sso.login_record")

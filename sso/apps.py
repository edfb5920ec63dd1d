from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "sso"
    verbose_name = "Single sign-on"

    def ready(self):
        from allauth.account.signals import user_logged_in

        from . import saml_config
        from .services import sso_login_record

        saml_config.install()
        user_logged_in.connect(sso_login_record, dispatch_uid="sso.login_record")

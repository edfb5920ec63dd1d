"""Users log in with their e-mail address. Each jobcentre's schema has its own users."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("E-mailadressen skal angives.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail"), unique=True)
    first_name = models.CharField(_("fornavn"), max_length=150, blank=True)
    last_name = models.CharField(_("efternavn"), max_length=150, blank=True)
    # What a signature or a letter says under the name ("Jobcenterchef", "Virksomhedskonsulent").
    title = models.CharField(_("stillingsbetegnelse"), max_length=150, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def role_names(self) -> set[str]:
        """The names of the user's roles (groups), read once per request."""
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return self._role_names

    def has_role(self, role: str) -> bool:
        return role in self.role_names


class LoginLock(models.Model):
    """Failed sign-ins per e-mail address (also one that has no account, so that the answer
    never tells whether an address exists), kept in PostgreSQL so that the lock holds while
    Redis is down. The rule is accounts.rules.login_failure_next."""

    email = models.CharField(_("e-mail"), max_length=254, unique=True)
    failures = models.PositiveSmallIntegerField(_("fejlede forsøg"), default=0)
    window_start = models.DateTimeField(_("første fejl"))
    locked_until = models.DateTimeField(_("låst til"), null=True, blank=True)

    class Meta:
        verbose_name = _("låst login")
        verbose_name_plural = _("låste logins")

    def __str__(self) -> str:
        return self.email

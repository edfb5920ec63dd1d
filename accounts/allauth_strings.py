"""allauth's own strings that its Danish catalogue translates with English words ("Ændr
password", "Password ændret med success"): named here so `makemessages` keeps them in our
locale/da catalogue, which Django reads before allauth's (LOCALE_PATHS). Issue 22."""

from django.utils.translation import gettext_noop

ALLAUTH_STRINGS = [
    gettext_noop("Your account has no password set up."),
    gettext_noop("Password Reset"),
    gettext_noop("Password Reset Email"),
    gettext_noop("Successfully signed in as %(name)s."),
    gettext_noop("Password successfully changed."),
    gettext_noop("Password successfully set."),
    gettext_noop("Change Password"),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you "
        "an email allowing you to reset it."
    ),
    gettext_noop("Reset My Password"),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop("Your password is now changed."),
    gettext_noop("Set Password"),
    gettext_noop(
        "The password reset link was invalid, possibly because it has already been used.  "
        'Please request a <a href="%(passwd_reset_url)s">new password reset</a>.'
    ),
]

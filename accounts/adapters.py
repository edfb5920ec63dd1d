from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):  # noqa: ARG002 - the framework fixes the signature
        # Accounts are created by the jobcentre (staff) or by invitation (mentors).
        return False

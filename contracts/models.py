# The domain models of this app are added by the domain-model issue.

"""Writes on Centerkontrakter: drafting, approvals, signing, transitions, amendments, PDFs.

The lifecycle (issue 7): draft -> approved (the jobcentre's own approval steps, issue 20)
-> signed (the jobcenterchef in the application, the company's director through a one-time
e-mailed link) -> active on the start date -> ended after the end date (a daily job). A signed
contract is never edited; a change is an amendment (version 2, 3, ...) signed again.

Split by sub-area, as HackSoft and Zulip split theirs: drafts (create, edit, transitions),
approvals, signing, amendments, documents (PDFs), termination (and the standard
paragraphs). Callers import from the package.
"""

from .amendments import amendment_create
from .approvals import approval_settings_update, contract_approval_record
from .documents import contract_document_render, contract_document_request
from .drafts import (
    EDITABLE_FIELDS,
    TERMS_FIELDS,
    contract_create,
    contract_fields_validate,
    contract_places_check,
    contract_places_ensure,
    contract_status_transitions,
    contract_terms_validate,
    contract_update,
    contract_version_get,
)
from .signing import (
    SIGNING_LINK_VALID_DAYS,
    SigningLinkError,
    contract_sign_chief,
    contract_sign_director,
    contract_signing_link_send,
    signing_link_check,
)
from .staff_ratio import staff_ratio_check
from .termination import (
    contract_template_current,
    contract_template_update,
    contract_terminate,
)

__all__ = [
    "EDITABLE_FIELDS",
    "SIGNING_LINK_VALID_DAYS",
    "TERMS_FIELDS",
    "SigningLinkError",
    "amendment_create",
    "approval_settings_update",
    "contract_approval_record",
    "contract_create",
    "contract_document_render",
    "contract_document_request",
    "contract_fields_validate",
    "contract_places_check",
    "contract_places_ensure",
    "contract_sign_chief",
    "contract_sign_director",
    "contract_signing_link_send",
    "contract_status_transitions",
    "contract_template_current",
    "contract_template_update",
    "contract_terminate",
    "contract_terms_validate",
    "contract_update",
    "contract_version_get",
    "signing_link_check",
    "staff_ratio_check",
]

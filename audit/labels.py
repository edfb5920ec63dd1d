"""The audit log's action codes as Danish labels (issue 22: the log showed raw codes such as
`contract.pdf.signed`). The codes stay stable in the database; only the screen translates."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "admin.add": _("Administration: oprettet"),
    "admin.change": _("Administration: ændret"),
    "admin.delete": _("Administration: slettet"),
    "admin.submit": _("Administration: formular sendt"),
    "admin.view": _("Administration: vist"),
    "api.attendance": _("API: fremmøde registreret eller læst"),
    "api.candidates.cpr": _("API: CPR-numre udleveret"),
    "api.courses": _("API: forløb læst"),
    "api.referrals": _("API: henvisninger læst"),
    "api_key.create": _("API-nøgle oprettet"),
    "api_key.revoke": _("API-nøgle tilbagekaldt"),
    "approval_settings.update": _("Godkendelsestrin ændret"),
    "attendance.correct": _("Fremmøde rettet"),
    "attendance.record": _("Fremmøde registreret"),
    "attendance_flag.raise": _("Problem med fremmøde meldt"),
    "attendance_flag.resolve": _("Problem med fremmøde afsluttet"),
    "audit.admin_change_record": _("Administrationens ændring registreret"),
    "audit.candidate_log": _("Kandidatens adgangslog vist"),
    "audit.cpr_search": _("Søgning på CPR-nummer"),
    "audit.list": _("Revisionsspor vist"),
    "audit.user_log": _("Brugerens log vist"),
    "billing.correction_create": _("Korrektionsopgørelse oprettet"),
    "billing.month_build": _("Månedens opgørelser beregnet"),
    "billing.rebuild_request": _("Genberegning af måned bestilt"),
    "billing.statement_approve": _("Opgørelse godkendt"),
    "candidate.access_log_export": _("Adgangslog udtrukket"),
    "candidate.anonymise": _("Kandidat anonymiseret"),
    "candidate.cpr_reveal": _("CPR-nummer vist"),
    "candidate.create": _("Kandidat oprettet"),
    "candidate.data_export": _("Indsigt: alle data udtrukket"),
    "candidate.print": _("Kandidat udskrevet"),
    "candidate.target_group": _("Målgruppe ændret"),
    "candidate.update": _("Kandidat ændret"),
    "candidate.view": _("Kandidat vist"),
    "centre.workplace": _("Centrets arbejdssted ændret"),
    "contract.amendment.create": _("Kontrakttillæg oprettet"),
    "contract.approve": _("Kontrakt godkendt"),
    "contract.create": _("Kontrakt oprettet"),
    "contract.ended": _("Kontrakt udløbet"),
    "contract.sign.chief": _("Kontrakt underskrevet af jobcenterchefen"),
    "contract.sign.director": _("Kontrakt underskrevet af direktøren"),
    "contract.signed": _("Kontrakt underskrevet"),
    "contract.signing_link.send": _("Underskriftslink sendt"),
    "contract.terminate": _("Kontrakt opsagt"),
    "contract.update": _("Kontrakt ændret"),
    "contract_template.update": _("Standardtekster til kontrakter ændret"),
    "cost.create": _("Omkostning oprettet"),
    "cost.update": _("Omkostning ændret"),
    "course.end": _("Forløb afsluttet (udslusning)"),
    "course.extend": _("Forløb forlænget"),
    "course.follow_up": _("Opfølgning registreret"),
    "course.hours": _("Timer pr. uge ændret"),
    "course.planned_end.contract_terminated": _(
        "Forløbets planlagte slut flyttet (kontrakten opsagt)"
    ),
    "course.start": _("Forløb startet"),
    "course.view": _("Forløb vist"),
    "goal.create": _("Mål oprettet"),
    "goal.progress": _("Progression på mål registreret"),
    "invoice_settings.update": _("Indstillinger for e-faktura ændret"),
    "kpi.queue": _("Nøgletal bestilt"),
    "list.view": _("Liste vist"),
    "login.sso": _("Logget ind med kommunens login"),
    "mentor.invite": _("Mentor inviteret"),
    "mentor.mitid_link": _("Mentor knyttet til MitID Erhverv"),
    "mentor.mitid_refused": _("Mentors login med MitID Erhverv afvist"),
    "mentor.centre_end_by_login": _("Mentors adgang til center ophørt (andet CVR ved login)"),
    "mentor_grant.create": _("Mentorstøtte bevilget"),
    "mentor_hours.record": _("Mentortimer registreret"),
    "mentor_settings.update": _("Mentorindstillinger ændret"),
    "national.consent": _("Deltagelse i landsoversigten ændret"),
    "note.create": _("Notat oprettet"),
    "ovo_year.save": _("ØVO-tal gemt"),
    "progress_note.create": _("Dialogguide-notat oprettet"),
    "referral.create": _("Kandidat henvist"),
    "referral.place": _("Kandidat visiteret"),
    "referral.withdraw": _("Henvisning tilbagekaldt"),
    "retention.run": _("Sletning efter opbevaringsfrist"),
    "settings.update": _("Indstillinger ændret"),
    "sso.policy_change": _("Regel for kommunens login ændret"),
    "sso.provider_create": _("Identitetsudbyder oprettet"),
    "sso.provider_change": _("Identitetsudbyder ændret"),
    "sso.provider_delete": _("Identitetsudbyder slettet"),
    "sso.roles_from_idp": _("Roller sat fra kommunens login"),
    "workplace.create": _("Arbejdssted oprettet"),
    "workplace.employees": _("Arbejdsstedets ansatte registreret"),
    "workplace.others": _("Andre ordninger på arbejdsstedet registreret"),
    "workplace.statement": _("Udtalelse om rimelighedskravet registreret"),
}
# Codes with a variable last part (contract.pdf.<kind>): the label of the family.
PREFIX_LABELS = {
    "contract.pdf.": _("Kontrakt-PDF dannet"),
}


def action_label(code: str) -> str:
    """The Danish label of an action code; an unknown code is shown as it is."""
    if code in ACTION_LABELS:
        return str(ACTION_LABELS[code])
    for prefix, label in PREFIX_LABELS.items():
        if code.startswith(prefix):
            return f"{label} ({code.removeprefix(prefix)})"
    return code

"""Writes for billing: build and rebuild a month's statements, approve one, queue a rebuild.

Every state change goes through one function here that takes the acting user (None for
the monthly beat job) and writes the audit log.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import ROLE_JOBCENTERCHEF
from audit.services import audit_record
from codes import clock
from jobs.services import job_fail, job_finish, job_lease_kept, job_queue, job_start

from . import rules, selectors
from .models import BillingRun, InvoiceSettings, Statement, StatementLine
from .permissions import can_rebuild


@dataclass
class BuildResult:
    month: date
    created: int = 0
    rebuilt: int = 0
    corrections: int = 0
    unchanged: int = 0
    removed: int = 0

    def summary(self) -> str:
        return _(
            "%(month)s: %(created)s nye, %(rebuilt)s genberegnede, %(corrections)s "
            "korrektioner, %(unchanged)s uændrede godkendte, %(removed)s fjernede kladder."
        ) % {
            "month": f"{self.month:%Y-%m}",
            "created": self.created,
            "rebuilt": self.rebuilt,
            "corrections": self.corrections,
            "unchanged": self.unchanged,
            "removed": self.removed,
        }


def billing_month_validate(*, month: date, today: date | None = None) -> date:
    """A month may be built once it has begun. Raises ValidationError (Danish) otherwise."""
    today = today or clock.today()
    if month.day != 1:
        raise ValidationError(_("En afregningsmåned angives ved sin første dag."))
    if month > today.replace(day=1):
        raise ValidationError(
            _("Måneden %(month)s er ikke begyndt endnu og kan ikke afregnes.")
            % {"month": f"{month:%Y-%m}"}
        )
    return month


def _line_rows(statement: Statement, lines: list[rules.Line]) -> list[StatementLine]:
    return [
        StatementLine(
            statement=statement,
            position=i,
            key=line.key,
            rule=line.rule,
            description=line.description[:300],
            course_id=line.course_id,
            week_no=line.week_no,
            place_number=line.place_number,
            period_start=line.period_start,
            period_end=line.period_end,
            terms_version=line.terms_version,
            quantity=line.quantity,
            rate=line.rate,
            hours_agreed=line.hours_agreed,
            hours_logged=line.hours_logged,
            shortfall=line.shortfall,
            amount=line.amount,
        )
        for i, line in enumerate(lines, start=1)
    ]


def _statement_fill(
    statement: Statement, lines: list[rules.Line], computed: rules.Computed, acting_user, now
) -> None:
    """(Re)write a draft statement's lines and totals. Never called for an approved one."""
    assert not statement.is_locked, "an approved statement is never rewritten"
    statement.total = sum((line.amount for line in lines), Decimal(0))
    statement.trainings = computed.trainings
    statement.hours_shortfall = any(line.shortfall for line in lines)
    statement.built_at = now
    statement.built_by = acting_user if getattr(acting_user, "pk", None) else None
    statement.save()
    statement.lines.all().delete()
    StatementLine.objects.bulk_create(_line_rows(statement, lines))


def _difference_lines(billed: list[StatementLine], fresh: list[rules.Line]) -> list[rules.Line]:
    """What must be added to (or taken from) the approved lines to reach the fresh ones.

    Items are matched by key; an item no longer owed is reversed in full.
    """
    billed_amount: dict[str, Decimal] = defaultdict(Decimal)
    billed_quantity: dict[str, Decimal] = defaultdict(Decimal)
    billed_sample: dict[str, StatementLine] = {}
    for billed_line in billed:
        billed_amount[billed_line.key] += billed_line.amount
        billed_quantity[billed_line.key] += billed_line.quantity
        billed_sample.setdefault(billed_line.key, billed_line)
    result = []
    fresh_keys = set()
    for line in fresh:
        fresh_keys.add(line.key)
        diff = line.amount - billed_amount.get(line.key, Decimal(0))
        if diff:
            result.append(
                rules.Line(
                    **{
                        **line.__dict__,
                        "description": _("Korrektion: %(text)s") % {"text": line.description},
                        "quantity": line.quantity - billed_quantity.get(line.key, Decimal(0)),
                        "amount": diff,
                    }
                )
            )
    for key, amount in billed_amount.items():
        if key in fresh_keys or not amount:
            continue
        old = billed_sample[key]
        result.append(
            rules.Line(
                key=key,
                rule=old.rule,
                description=_("Tilbageført: %(text)s")
                % {"text": old.description.removeprefix(_("Korrektion: "))},
                period_start=old.period_start,
                period_end=old.period_end,
                terms_version=old.terms_version,
                quantity=-billed_quantity[key],
                rate=old.rate,
                amount=-amount,
                course_id=old.course_id,
                week_no=old.week_no,
                place_number=old.place_number,
                hours_agreed=old.hours_agreed,
                hours_logged=old.hours_logged,
            )
        )
    return result


@transaction.atomic
def billing_month_build(*, month: date, acting_user=None, today: date | None = None) -> BuildResult:
    """Build every billable contract's statement for `month` (the first day of the month).

    A contract without a statement gets a draft; a draft is recomputed in place; an
    approved statement is never touched - the differences to what was approved (original
    plus approved corrections) go into the month's open correction statement, created when
    needed and removed when nothing differs any more. Drafts of contracts that no longer
    pay for the month are removed. Raises ValidationError (Danish) for a month not begun.
    """
    billing_month_validate(month=month, today=today)
    # Two builds of one month (beat and a rebuild) run one after the other.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))",
            [f"billing:{connection.schema_name}:{month:%Y-%m}"],  # type: ignore[attr-defined]
        )
    last = rules.month_last_day(month)
    computed = selectors.contracts_compute(start=month, end=last)
    now = timezone.now()
    result = BuildResult(month=month)

    existing = list(Statement.objects.select_for_update().filter(month=month).order_by("pk"))
    originals = {s.contract_id: s for s in existing if s.kind == Statement.Kind.ORIGINAL}
    open_corrections = {
        s.contract_id: s
        for s in existing
        if s.kind == Statement.Kind.CORRECTION and s.status == Statement.Status.DRAFT
    }
    approved_ids = [s.pk for s in existing if s.is_locked]
    billed_lines: dict[int, list[StatementLine]] = defaultdict(list)
    for line in (
        StatementLine.objects.filter(statement_id__in=approved_ids)
        .select_related("statement")
        .order_by("statement_id", "position")
    ):
        billed_lines[line.statement.contract_id].append(line)

    seen = set()
    for contract, comp in computed:
        seen.add(contract.pk)
        original = originals.get(contract.pk)
        if original is None:
            original = Statement(
                contract=contract, centre_id=contract.centre_id, month=month, built_at=now
            )
            _statement_fill(original, comp.lines, comp, acting_user, now)
            result.created += 1
        elif not original.is_locked:
            _statement_fill(original, comp.lines, comp, acting_user, now)
            result.rebuilt += 1
        else:
            diff = _difference_lines(billed_lines[contract.pk], comp.lines)
            correction = open_corrections.get(contract.pk)
            if not diff:
                if correction is not None:
                    correction.delete()
                    result.removed += 1
                result.unchanged += 1
                continue
            created = correction is None
            if correction is None:
                correction = Statement(
                    contract=contract,
                    centre_id=contract.centre_id,
                    month=month,
                    kind=Statement.Kind.CORRECTION,
                    corrects=original,
                    built_at=now,
                )
            _statement_fill(correction, diff, comp, acting_user, now)
            result.corrections += 1
            if created:
                audit_record(
                    acting_user=acting_user, action="billing.correction_create", obj=correction
                )
    for contract_id, original in originals.items():
        if contract_id not in seen and not original.is_locked:
            original.delete()
            result.removed += 1
    audit_record(
        acting_user=acting_user,
        action="billing.month_build",
        obj=None,
        label=result.summary(),
    )
    return result


@transaction.atomic
def billing_statement_approve(
    *, statement: Statement, acting_user, version: str | None = None, confirmed: bool = True
) -> Statement:
    """The jobcenterchef approves a draft statement; from then on it is locked.

    `confirmed` is the chef's explicit confirmation on the page (approving locks for good);
    without it nothing happens (ValidationError).
    `version` is selectors.statement_version() of the statement the chef was shown (the
    page's form carries it); when the statement has changed since, nothing is locked.
    Raises PermissionDenied for any other role, ValidationError (Danish) if it is approved
    or has changed.
    """
    if not acting_user.has_role(ROLE_JOBCENTERCHEF):
        raise PermissionDenied
    if not confirmed:
        raise ValidationError(
            _("Sæt kryds for at bekræfte, at du har gennemgået opgørelsen, før den låses.")
        )
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.is_locked:
        raise ValidationError(_("Opgørelsen er allerede godkendt og kan ikke ændres."))
    if version is not None and version != selectors.statement_version(statement=statement):
        raise ValidationError(_("Opgørelsen er ændret - se den igen."))
    statement.status = Statement.Status.APPROVED
    statement.approved_at = timezone.now()
    statement.approved_by = acting_user
    statement.save(update_fields=["status", "approved_at", "approved_by"])
    audit_record(acting_user=acting_user, action="billing.statement_approve", obj=statement)
    return statement


@transaction.atomic
def billing_rebuild_request(*, month: date, acting_user, today: date | None = None) -> BillingRun:
    """A jobkonsulent or the jobcenterchef asks for `month` to be (re)built; a background
    job does it (permissions.REBUILD_ROLES).

    While a run of the month is queued or running, that run is returned instead of a new
    one, sent again or taken over first when it is stuck (jobs.services.job_revive).
    Raises PermissionDenied for other roles, ValidationError (Danish) for a bad month.
    """
    if not can_rebuild(acting_user):
        raise PermissionDenied
    billing_month_validate(month=month, today=today)
    from .tasks import billing_run_task

    run, created = job_queue(
        model=BillingRun, task=billing_run_task, acting_user=acting_user, month=month
    )
    if created:
        audit_record(acting_user=acting_user, action="billing.rebuild_request", obj=run)
    return run


def billing_run_execute(*, run_id: int, today: date | None = None) -> BillingRun | None:
    """Carry out one queued run: running -> done (with a summary) or failed (with the reason).

    The states are committed one by one, so the page polling the run sees each of them.
    A run that has finished already is returned as it is.
    """
    run = job_start(model=BillingRun, run_id=run_id)
    if run is None:
        return BillingRun.objects.filter(pk=run_id).first()
    try:
        result = billing_month_build(month=run.month, acting_user=run.requested_by, today=today)
    except ValidationError as exc:
        job_fail(model=BillingRun, run_id=run.pk, message=" ".join(exc.messages))
    except Exception as exc:  # noqa: BLE001 - the run must say it failed, then re-raise
        job_fail(
            model=BillingRun,
            run_id=run.pk,
            message=_("Uventet fejl: %(error)s") % {"error": type(exc).__name__},
            exc=exc,
        )
        raise
    else:
        job_finish(model=BillingRun, run_id=run.pk, message=result.summary())
    run.refresh_from_db()
    return run


def billing_previous_month_build(*, today: date) -> BillingRun:
    """The monthly job (beat, on the 1st): build every statement of the previous month."""
    run = BillingRun.objects.create(month=rules.previous_month(today))
    # Run here, in beat's task, under the run's lease like any JobTask's run.
    with job_lease_kept(model=BillingRun, run_id=run.pk):
        done = billing_run_execute(run_id=run.pk, today=today)
    return done if done is not None else run  # never None: the run was just created


@transaction.atomic
def invoice_settings_update(
    *, buyer_gln: str, buyer_name: str, buyer_reference: str, acting_user
) -> InvoiceSettings:
    """Save the municipality's buyer details for electronic invoices (billing/einvoice.py).

    Raises ValidationError (Danish) for an EAN number that is not 13 digits with a valid
    GS1 check digit; nothing is saved then. An empty EAN number is allowed (no invoices).
    """
    buyer_gln = (buyer_gln or "").strip().replace(" ", "")
    if buyer_gln and not rules.gln_valid(buyer_gln):
        raise ValidationError(
            "EAN-nummeret skal være 13 cifre med gyldigt kontrolciffer (fx 5798000000001)."
        )
    settings_row = InvoiceSettings.for_update()
    settings_row.buyer_gln = buyer_gln
    settings_row.buyer_name = (buyer_name or "").strip()[:200]
    settings_row.buyer_reference = (buyer_reference or "").strip()[:100]
    settings_row.save()
    audit_record(
        acting_user=acting_user,
        action="invoice_settings.update",
        obj=settings_row,
        fields=["buyer_gln", "buyer_name", "buyer_reference"],
    )
    return settings_row

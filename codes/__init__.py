"""The ground floor's code lists and shared rules: plain Python, no models, no project app.

Every floor may import from here (tenants, accounts, audit, the domain apps, the import, the
demo generator); this package imports nothing of the project, only the standard library and
Django's choices and translation helpers, so it loads without settings or an app registry.

- `codes.lists`: the stable codes of the domain (benefits, barriers, outcomes, payment
  models, branches, matchgruppe, ...), lowercase ASCII as stored and imported;
- `codes.cpr`, `codes.cvr`: the Danish person and company numbers, normalised and checked
  in one place with one Danish message each;
- `codes.clock`: "today" in the jobcentres' time zone, the one clock production code reads.
- `codes.fernet`: secrets at rest (Fernet with rotating keys named by a setting, read when
  called), for the CPR numbers and the two-factor secrets alike.
"""

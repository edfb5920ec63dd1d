"""A page's related rows read inside one query, as JSON arrays (issue 24).

A page about one thing (the candidate page: the person, their referrals, courses with
hours, extensions, notes and goals) cost a query per kind of row with `prefetch_related`:
about 1 ms each (compile, round trip, rows), more than the page's floor for the whole
page. `rows_array` puts a queryset's rows into the outer query as
`ARRAY(SELECT jsonb_build_object(<every column>) ... ORDER BY ...)`, and `instance` makes
the model instance of one such row again (each value through its field's `to_python`:
dates, times and decimals come back as in a normal read). A user who wrote a row rides
along (`user_of`): id and names, what `str(user)` shows.
"""

import json
from collections.abc import Callable

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, models
from django.db.models import F, QuerySet
from django.db.models.functions import Cast, JSONObject

USER_FIELDS = ("id", "first_name", "last_name", "email")
DB = "default"
_SENTINEL = -987_654_321_123  # the id's place among the compiled query's parameters


def _column(field):
    # A decimal as text: JSON would make 20.0 a float (and print "20" instead of "20,0").
    if isinstance(field, models.DecimalField):
        return Cast(field.attname, models.TextField())
    return F(field.attname)


def columns(model, *, exclude: tuple = (), **extra) -> JSONObject:
    """A row's columns (by attname, but `exclude`) and the `extra` expressions as one JSON
    object: the outer query's own row, for `instance`."""
    fields = {
        f.attname: _column(f) for f in model._meta.concrete_fields if f.attname not in exclude
    }
    return JSONObject(**fields, **extra)


def rows_array(queryset: QuerySet, **extra) -> ArraySubquery:
    """The queryset's rows (every column, by attname, and the `extra` expressions) as an
    array of JSON objects, in the queryset's order: an annotation of the outer query."""
    return ArraySubquery(queryset.values(json=columns(queryset.model, **extra)))


def compiled_by_id(build: Callable[[int], QuerySet]) -> Callable[[int], dict]:
    """`build(pk)`'s one row (a values queryset of `rows_array`s) by id, as {name: list of
    dicts}. Django compiles such a query in about as long as the whole page may take (60
    nested columns and subqueries), and psycopg parses a long query's 100 placeholders
    anew each time; the SQL does not depend on the id, so it is compiled once, at the
    first call, with its parameters (the columns' names) bound, and run with the id (an
    int) put in for the sentinel's place."""
    compiled: list[str] = []

    def run(pk: int) -> dict:
        if not compiled:
            sql, params = build(_SENTINEL).query.sql_with_params()
            sql = connection.ops.compose_sql(sql, params)
            if str(_SENTINEL) not in sql:
                raise ValueError("The query does not take the id as a parameter")
            compiled.append(sql)
        with connection.cursor() as cursor:
            cursor.execute(compiled[0].replace(str(_SENTINEL), str(int(pk))))
            row = cursor.fetchone()
            names = [column.name for column in cursor.description]
        if row is None:
            raise LookupError(pk)
        return {name: _decoded(value) for name, value in zip(names, row, strict=True)}

    return run


def _decoded(value):
    return [_json(v) for v in value] if isinstance(value, list) else _json(value)


def _json(value):
    return json.loads(value) if isinstance(value, str | bytes) else value


def user_of(relation: str) -> JSONObject:
    """The user a foreign key `relation` points at, for `rows_array(..., user=user_of(...))`."""
    return JSONObject(**{name: F(f"{relation}__{name}") for name in USER_FIELDS})


def instance(model, row: dict, *, exclude: tuple = ()):
    """The model instance of one row of `rows_array` or `columns` (as read from the
    database; the `exclude`d columns deferred, as with `.defer()`)."""
    fields = [f for f in model._meta.concrete_fields if f.attname not in exclude]
    names = [f.attname for f in fields]
    return model.from_db(DB, names, [f.to_python(row[f.attname]) for f in fields])


def user_instance(row: dict | None):
    """The user of `user_of`, or None (no user: the key was empty)."""
    from django.contrib.auth import get_user_model

    if not row or row.get("id") is None:
        return None
    model = get_user_model()
    # from_db takes the loaded columns in the model's order (the others are deferred)
    names = [f.attname for f in model._meta.concrete_fields if f.attname in USER_FIELDS]
    return model.from_db(DB, names, [row[name] for name in names])

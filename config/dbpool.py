"""Django's psycopg connection pool: its options and what a returned connection forgets.

django-tenants issues `SET search_path` on every cursor, so a request never runs on the
schema of the request before it; the reset here is the second lock on that door: a
connection that comes back to the pool points at an empty schema list, so a query that
somehow skipped django-tenants finds no tenant's table instead of the last tenant's.
"""

# pg_catalog only: no table of ours (public's or a jobcentre's) is found from it.
RESET_SEARCH_PATH = "SET search_path TO pg_catalog"


def reset_connection(conn) -> None:
    """Called by psycopg_pool (in its worker thread) when a connection comes back, idle."""
    conn.execute(RESET_SEARCH_PATH)


def pool_options(*, min_size: int, max_size: int, timeout: float) -> dict:
    """The keyword arguments Django passes to psycopg_pool.ConnectionPool.

    max_size bounds the process's connections: a gunicorn worker with more threads than
    that makes the extra threads wait (at most `timeout` seconds) instead of opening more.
    """
    return {
        "min_size": min_size,
        "max_size": max_size,
        "timeout": timeout,
        "reset": reset_connection,
    }

# The append-only trigger of 0002 fires per row, so TRUNCATE (which touches no row) emptied
# the log unchecked. A statement-level trigger refuses it as well.

from django.db import migrations

REFUSE_TRUNCATE_SQL = """
CREATE OR REPLACE FUNCTION audit_auditevent_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only: TRUNCATE refused';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent;
CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_no_truncate();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_no_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_access_log_fields")]

    operations = [migrations.RunSQL(REFUSE_TRUNCATE_SQL, DROP_SQL)]

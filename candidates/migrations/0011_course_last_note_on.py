"""Course.last_note_on: the date of the course's latest follow-up note, kept by PostgreSQL.

The due list asked, for every running course of the jobcentre, for its latest note (a
lookup per course: half of the list's statement at Copenhagen's 2,400 running courses,
issue 24); the course list asked it per row. A trigger on the notes keeps the date on the
course whatever writes a note (the service, an import, a fixture), so it cannot drift.
Like 0003's, the function is created in the tenant's own schema and names its tables
unqualified.
"""

from django.db import migrations, models

TRIGGER = """
CREATE OR REPLACE FUNCTION course_last_note_set(course bigint) RETURNS void AS $$
    UPDATE candidates_course c
    SET last_note_on = (SELECT max(n.date) FROM candidates_followupnote n WHERE n.course_id = course)
    WHERE c.id = course;
$$ LANGUAGE sql;

CREATE OR REPLACE FUNCTION course_last_note_keep() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN PERFORM course_last_note_set(OLD.course_id); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM course_last_note_set(NEW.course_id); END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER course_last_note_keep
    AFTER INSERT OR DELETE OR UPDATE OF date, course_id ON candidates_followupnote
    FOR EACH ROW EXECUTE FUNCTION course_last_note_keep();

UPDATE candidates_course c SET last_note_on = n.last
FROM (SELECT course_id, max(date) AS last FROM candidates_followupnote GROUP BY course_id) n
WHERE n.course_id = c.id;
"""

REVERSE = """
DROP TRIGGER IF EXISTS course_last_note_keep ON candidates_followupnote;
DROP FUNCTION IF EXISTS course_last_note_keep();
DROP FUNCTION IF EXISTS course_last_note_set(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0010_list_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="course",
            name="last_note_on",
            field=models.DateField(editable=False, null=True, verbose_name="seneste notat"),
        ),
        migrations.RunSQL(TRIGGER, REVERSE),
    ]

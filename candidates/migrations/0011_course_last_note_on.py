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
-- Every write of a course derives the date (a course instance read before a note was
-- written and saved whole would otherwise write its old date back).
CREATE OR REPLACE FUNCTION course_last_note_derive() RETURNS trigger AS $$
BEGIN
    NEW.last_note_on := (SELECT max(n.date) FROM candidates_followupnote n
                         WHERE n.course_id = NEW.id);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER course_last_note_derive
    BEFORE INSERT OR UPDATE ON candidates_course
    FOR EACH ROW EXECUTE FUNCTION course_last_note_derive();

-- A note written, moved or deleted writes its courses again (which derives the date).
CREATE OR REPLACE FUNCTION course_last_note_keep() RETURNS trigger AS $$
BEGIN
    UPDATE candidates_course c SET last_note_on = NULL
    WHERE (TG_OP <> 'INSERT' AND c.id = OLD.course_id)
       OR (TG_OP <> 'DELETE' AND c.id = NEW.course_id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER course_last_note_keep
    AFTER INSERT OR DELETE OR UPDATE OF date, course_id ON candidates_followupnote
    FOR EACH ROW EXECUTE FUNCTION course_last_note_keep();

UPDATE candidates_course SET last_note_on = NULL
WHERE id IN (SELECT course_id FROM candidates_followupnote);
"""

REVERSE = """
DROP TRIGGER IF EXISTS course_last_note_keep ON candidates_followupnote;
DROP FUNCTION IF EXISTS course_last_note_keep();
DROP TRIGGER IF EXISTS course_last_note_derive ON candidates_course;
DROP FUNCTION IF EXISTS course_last_note_derive();
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

"""Rules that span two tables, enforced by PostgreSQL triggers so no code path can skip them:

- a course lies within its contract's period (start, planned end and actual end);
- a course's place belongs to the course's contract;
- a contract's period cannot shrink so that one of its courses falls outside it.

Functions are created in the tenant's own schema (the first in search_path) and name the
tables unqualified, so each jobcentre's trigger checks that jobcentre's tables.
"""

from django.db import migrations

COURSE_CHECK = """
CREATE OR REPLACE FUNCTION course_within_contract() RETURNS trigger AS $$
DECLARE
    c_start date;
    c_end date;
    p_contract bigint;
BEGIN
    SELECT start, "end" INTO c_start, c_end FROM contracts_contract WHERE id = NEW.contract_id;
    SELECT contract_id INTO p_contract FROM centers_place WHERE id = NEW.place_id;
    IF p_contract IS DISTINCT FROM NEW.contract_id THEN
        RAISE EXCEPTION 'course_place_of_contract: course place % does not belong to contract %', NEW.place_id, NEW.contract_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'course_place_of_contract';
    END IF;
    IF NEW.start < c_start OR NEW.planned_end > c_end
       OR (NEW."end" IS NOT NULL AND NEW."end" > c_end) THEN
        RAISE EXCEPTION 'course_within_contract: course % - % lies outside its contract % - %',
            NEW.start, COALESCE(NEW."end", NEW.planned_end), c_start, c_end
            USING ERRCODE = 'check_violation', CONSTRAINT = 'course_within_contract';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER course_within_contract
    BEFORE INSERT OR UPDATE OF start, planned_end, "end", contract_id, place_id
    ON candidates_course
    FOR EACH ROW EXECUTE FUNCTION course_within_contract();

CREATE OR REPLACE FUNCTION contract_keeps_its_courses() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM candidates_course c
        WHERE c.contract_id = NEW.id
          AND (c.start < NEW.start OR c.planned_end > NEW."end"
               OR (c."end" IS NOT NULL AND c."end" > NEW."end"))
    ) THEN
        RAISE EXCEPTION 'course_within_contract: contract % period % - % would leave courses outside it',
            NEW.id, NEW.start, NEW."end"
            USING ERRCODE = 'check_violation', CONSTRAINT = 'course_within_contract';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER contract_keeps_its_courses
    BEFORE UPDATE OF start, "end" ON contracts_contract
    FOR EACH ROW EXECUTE FUNCTION contract_keeps_its_courses();
"""

REVERSE = """
DROP TRIGGER IF EXISTS contract_keeps_its_courses ON contracts_contract;
DROP FUNCTION IF EXISTS contract_keeps_its_courses();
DROP TRIGGER IF EXISTS course_within_contract ON candidates_course;
DROP FUNCTION IF EXISTS course_within_contract();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0002_initial"),
        ("contracts", "0001_initial"),
        ("centers", "0002_initial"),
    ]

    operations = [migrations.RunSQL(COURSE_CHECK, REVERSE)]

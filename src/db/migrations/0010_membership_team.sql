-- The team a member works in: the ward, department or service, as the staff record names it (ESR calls it the
-- "Organisation", the unit below the employer). Free text like staff_group and job_role; the skills report groups
-- an organisation's members by it.

ALTER TABLE memberships ADD COLUMN team text;

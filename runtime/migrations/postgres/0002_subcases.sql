-- A deelzaak knows the case that started it and the step that waits for it.
ALTER TABLE cases ADD COLUMN parent_case_id BIGINT REFERENCES cases (id);
ALTER TABLE cases ADD COLUMN parent_step TEXT;
CREATE INDEX cases_by_parent ON cases (parent_case_id);

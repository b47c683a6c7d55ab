-- Applications managed (issue 21): an operator may disable an application,
-- which refuses its secret and its live tokens; NULL is enabled.
ALTER TABLE applications ADD COLUMN disabled_at TIMESTAMPTZ;

-- Pruning walks the oldest events by ID, which the rowid serves: one index
-- fewer for every append to write.
DROP INDEX events_at_idx;

-- The audit trail counts the accounts a run updated, deactivated or deleted,
-- besides those it created (accounts).

ALTER TABLE staffseed_runs ADD COLUMN IF NOT EXISTS accounts_changed int;

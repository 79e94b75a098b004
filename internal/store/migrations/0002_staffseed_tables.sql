-- staffseed's own columns and tables. Columns added to shared tables are
-- nullable or have defaults, so other programs' inserts keep working.

ALTER TABLE hospitals ADD COLUMN IF NOT EXISTS staffseed_managed boolean NOT NULL DEFAULT false;
ALTER TABLE departments ADD COLUMN IF NOT EXISTS staffseed_managed boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN IF NOT EXISTS staffseed_managed boolean NOT NULL DEFAULT false;
ALTER TABLE staff ADD COLUMN IF NOT EXISTS staffseed_key text UNIQUE;
ALTER TABLE staff ADD COLUMN IF NOT EXISTS specialization text;

CREATE INDEX IF NOT EXISTS staff_hospital_id_idx ON staff (hospital_id);
CREATE INDEX IF NOT EXISTS staff_user_id_idx ON staff (user_id);

CREATE TABLE IF NOT EXISTS staffseed_credentials (
    user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    state text NOT NULL CHECK (state IN ('pending', 'delivered')),
    issued_at timestamptz,
    delivered_at timestamptz,
    attempts int NOT NULL DEFAULT 0,
    last_error text
);

CREATE TABLE IF NOT EXISTS staffseed_runs (
    id bigserial PRIMARY KEY,
    started_at timestamptz,
    finished_at timestamptz,
    os_user text,
    host text,
    command text,
    spec_digest text,
    git_commit text,
    added int,
    changed int,
    destroyed int,
    accounts int,
    credentials int,
    outcome text,
    error text,
    duration_ms bigint
);

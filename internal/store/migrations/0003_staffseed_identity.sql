-- The seed is part of the identity of the generated staff a spec manages:
-- two specs with different seeds may each have an ALMADINA/nurse/3. Rows
-- of rosters and existing staff keep a NULL seed (NULLs are distinct, and
-- their employee IDs are unique anyway). An account remembers the staff
-- key and seed it was made for, so that it is found again when its staff
-- row loses the link or is deleted.

ALTER TABLE staff ADD COLUMN IF NOT EXISTS staffseed_seed bigint NULL;
ALTER TABLE staff DROP CONSTRAINT IF EXISTS staff_staffseed_key_key;
CREATE UNIQUE INDEX IF NOT EXISTS staff_staffseed_identity_idx ON staff (staffseed_key, staffseed_seed);

ALTER TABLE users ADD COLUMN IF NOT EXISTS staffseed_key text NULL;
ALTER TABLE users ADD COLUMN IF NOT EXISTS staffseed_seed bigint NULL;
CREATE UNIQUE INDEX IF NOT EXISTS users_staffseed_identity_idx ON users (staffseed_key, staffseed_seed);

-- The tables PX360 shares with staffseed. On a database where the PX360
-- application already created them, nothing here changes them.

CREATE TABLE IF NOT EXISTS hospitals (
    id bigserial PRIMARY KEY,
    code text NOT NULL UNIQUE,
    name text NOT NULL DEFAULT '',
    name_ar text NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS departments (
    id bigserial PRIMARY KEY,
    hospital_id bigint NOT NULL REFERENCES hospitals (id) ON DELETE CASCADE,
    name text NOT NULL,
    name_ar text NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS users (
    id bigserial PRIMARY KEY,
    username varchar(150) NOT NULL UNIQUE,
    email varchar(254) NOT NULL UNIQUE,
    password varchar(128) NOT NULL,
    first_name varchar(150) NOT NULL DEFAULT '',
    last_name varchar(150) NOT NULL DEFAULT '',
    is_active boolean NOT NULL DEFAULT true,
    date_joined timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS roles (
    id bigserial PRIMARY KEY,
    name text NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS user_roles (
    user_id bigint REFERENCES users (id) ON DELETE CASCADE,
    role_id bigint REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
);

CREATE TABLE IF NOT EXISTS staff (
    id bigserial PRIMARY KEY,
    hospital_id bigint NOT NULL REFERENCES hospitals (id),
    department_id bigint NULL REFERENCES departments (id) ON DELETE SET NULL,
    staff_type text NOT NULL CHECK (staff_type IN ('physician', 'nurse', 'admin')),
    employee_id text NOT NULL UNIQUE,
    first_name text NOT NULL DEFAULT '',
    last_name text NOT NULL DEFAULT '',
    first_name_ar text NOT NULL DEFAULT '',
    last_name_ar text NOT NULL DEFAULT '',
    gender text NOT NULL CHECK (gender IN ('male', 'female')),
    email text NULL UNIQUE,
    user_id bigint NULL REFERENCES users (id) ON DELETE SET NULL
);

// Package pgtest gives each test its own PostgreSQL database, created from
// the server named by STAFFSEED_TEST_DATABASE and dropped when the test ends.
// Without that variable, tests skip loudly, except under CI=true, where they
// fail: CI always provides a database.
package pgtest

// Package store is staffseed's only door to PostgreSQL: embedded versioned
// migrations, the advisory lock, reading the current state in one pass per
// table, and the bulk writes apply performs. It never prints.
package store

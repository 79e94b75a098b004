// Package bench measures staffseed at scale: it writes specs of a given
// size, builds the database state such a spec leaves once applied (for
// benchmarks of planning and rendering without a database), and runs the
// scale comparison of `make bench` — apply, no-op plan and peak memory at
// several sizes against a plain COPY of the same rows, and the cost of
// hashing account passwords against the hashing alone.
package bench

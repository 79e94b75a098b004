// Package seedstaff keeps the old Django `seed_staff` management command
// working as `staffseed seed-staff`: it turns that command's flags and its
// EMAIL_* environment settings into an ordinary spec (the same one
// `--emit-spec` prints), so that the run goes through the same planner and
// applier as `staffseed plan` and `apply`, and it prints what happens in the
// old command's output shape (banner, configuration block, per-type
// sections, summary).
//
// Unlike the old command, a seed-staff run is declarative: the generated
// staff are a function of the hospital, the staff type, the index and a
// fixed seed (Seed), so running the same command twice converges instead of
// doubling the staff.
package seedstaff

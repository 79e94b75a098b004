package seedstaff

import "github.com/px360/staffseed/internal/spec"

// Seed is the seed of every seed-staff run. It is fixed so that reruns of
// the same command generate the same people and converge; it equals the
// seed a spec gets when it sets none.
const Seed = spec.DefaultSeed

// Options are the old command's flags.
type Options struct {
	// HospitalCode limits the run to one hospital ("" = every hospital in
	// the database).
	HospitalCode string
	// Counts are the staff per hospital, per type (see ResolveCounts).
	Counts      map[spec.StaffType]int
	CreateUsers bool
	SendEmails  bool
	Clear       bool
	DryRun      bool
}

// ResolveCounts applies the old command's count rules: each type has its
// own default (10 physicians, 15 nurses, 5 admin staff); --count N sets
// every type whose own flag is not given. count and own are nil when the
// flag was not given.
func ResolveCounts(count *int, own map[spec.StaffType]*int) map[spec.StaffType]int {
	out := map[spec.StaffType]int{}
	for _, t := range spec.StaffTypes {
		switch {
		case own[t] != nil:
			out[t] = *own[t]
		case count != nil:
			out[t] = *count
		default:
			out[t] = spec.DefaultCounts[t].Count
		}
	}
	return out
}

// Total is the staff per hospital across the three types.
func (o Options) Total() int {
	n := 0
	for _, t := range spec.StaffTypes {
		n += o.Counts[t]
	}
	return n
}

// sendsCredentials reports whether credential emails are requested: the old
// command sent them only for the accounts it created.
func (o Options) sendsCredentials() bool { return o.SendEmails && o.CreateUsers }

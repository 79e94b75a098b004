package plan_test

import (
	"fmt"
	"testing"

	"github.com/px360/staffseed/internal/bench"
	"github.com/px360/staffseed/internal/spec"
	"github.com/px360/staffseed/internal/store"
	"github.com/px360/staffseed/plan"
)

func benchSpec(tb testing.TB, n int, accounts bool) *spec.Spec {
	tb.Helper()
	s, err := bench.LoadSpec(tb.TempDir(), bench.SpecOptions{Staff: n, Accounts: accounts})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func appliedState(tb testing.TB, s *spec.Spec) *store.State {
	tb.Helper()
	st, err := bench.AppliedState(s)
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// TestAppliedStateIsNoop checks the synthetic state the benchmarks plan
// against: the spec planned against it must find nothing to do.
func TestAppliedStateIsNoop(t *testing.T) {
	for _, accounts := range []bool{false, true} {
		s := benchSpec(t, 300, accounts)
		p, err := plan.Make(s, appliedState(t, s), plan.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Changes) != 0 {
			t.Fatalf("accounts %t: %d changes against the applied state, first %+v", accounts, len(p.Changes), p.Changes[0])
		}
	}
}

// BenchmarkMake plans 1k, 10k and 100k staff with accounts, against an
// empty database (everything to create) and against the state the apply
// leaves (no-op).
func BenchmarkMake(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		s := benchSpec(b, n, true)
		b.Run(fmt.Sprintf("create/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := plan.Make(s, bench.EmptyState(), plan.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		st := appliedState(b, s)
		b.Run(fmt.Sprintf("noop/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := plan.Make(s, st, plan.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFingerprint fingerprints the state of 100k staff with accounts.
func BenchmarkFingerprint(b *testing.B) {
	st := appliedState(b, benchSpec(b, 100000, true))
	b.ReportAllocs()
	for b.Loop() {
		store.Fingerprint(st)
	}
}

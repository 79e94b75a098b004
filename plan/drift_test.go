package plan

import (
	"strings"
	"testing"
)

// TestEmailDriftGoesBackToTheSpec edits managed staff emails by hand and
// checks the plan puts them back, and that re-planning a converged state,
// clash fallbacks included, finds nothing to do.
func TestEmailDriftGoesBackToTheSpec(t *testing.T) {
	for _, tc := range []struct {
		name, address string
		// taken, when set, has other accounts hold every address the
		// template renders, so that all staff get the fallback form.
		taken bool
	}{
		{"default template", "", false},
		{"clashing template", "  address: '{first}{last}@{hospital_code}.example'\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := baseSpec
			if tc.address != "" {
				src = strings.Replace(src, "email: {send_credentials: true, transport: console}",
					"email:\n  send_credentials: true\n  transport: console\n"+tc.address, 1)
			}
			sp := mustSpec(t, src)
			start := emptyState()
			if tc.taken {
				rendered, err := Make(sp, emptyState(), Options{})
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range rendered.Changes {
					if s, ok := c.After.(*StaffAttrs); ok {
						start.Emails[s.Email] = true
					}
				}
			}
			first, err := Make(sp, start, Options{})
			if err != nil {
				t.Fatal(err)
			}
			st := converged(t, first)
			for addr := range start.Emails {
				st.Emails[addr] = true
			}
			for _, c := range first.Changes {
				s, ok := c.After.(*StaffAttrs)
				if !ok {
					continue
				}
				// A clash keeps the template's domain.
				if start.Emails[s.Email] || (tc.taken && !strings.HasSuffix(s.Email, "@almadina.example")) {
					t.Errorf("%s gets %s", s.Key, s.Email)
				}
			}
			again, err := Make(sp, st, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Changes) != 0 {
				t.Fatalf("re-plan of a converged state: %d changes, first %+v", len(again.Changes), again.Changes[0])
			}
			for _, i := range []int{0, len(st.Staff) - 1} {
				want := *st.Staff[i].Email
				edited := "someone.else@example.com"
				st.Staff[i].Email = &edited
				st.Emails[edited] = true
				p, err := Make(sp, st, Options{})
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Changes) != 1 || p.Changes[0].Action != Update {
					t.Fatalf("after editing %s's email: %d changes %+v", st.Staff[i].Key, len(p.Changes), p.Changes)
				}
				before, after := p.Changes[0].Before.(*StaffAttrs), p.Changes[0].After.(*StaffAttrs)
				if before.Email != edited || after.Email != want {
					t.Errorf("%s email: %q → %q, want %q → %q", st.Staff[i].Key, before.Email, after.Email, edited, want)
				}
				st.Staff[i].Email = &want
			}
		})
	}
}

func TestEmailFilledForRowWithoutOne(t *testing.T) {
	sp := mustSpec(t, baseSpec)
	first, err := Make(sp, emptyState(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := converged(t, first)
	want := *st.Staff[1].Email
	st.Staff[1].Email = nil
	p, err := Make(sp, st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 1 || p.Changes[0].After.(*StaffAttrs).Email != want {
		t.Fatalf("row without an email: %+v", p.Changes)
	}
}

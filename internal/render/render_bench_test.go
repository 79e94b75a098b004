package render_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/px360/staffseed/internal/bench"
	"github.com/px360/staffseed/internal/render"
	"github.com/px360/staffseed/plan"
)

// BenchmarkRender renders the plan creating 1k, 10k and 100k staff with
// accounts as grouped text, detailed text and JSON.
func BenchmarkRender(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		s, err := bench.LoadSpec(b.TempDir(), bench.SpecOptions{Staff: n, Accounts: true})
		if err != nil {
			b.Fatal(err)
		}
		p, err := plan.Make(s, bench.EmptyState(), plan.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range []struct {
			name   string
			render func(io.Writer, *plan.Plan) error
		}{
			{"text", func(w io.Writer, p *plan.Plan) error { return render.Text(w, p, render.TextOptions{}) }},
			{"detail", func(w io.Writer, p *plan.Plan) error { return render.Text(w, p, render.TextOptions{Detail: true}) }},
			{"json", render.JSON},
		} {
			b.Run(fmt.Sprintf("%s/%d", f.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := f.render(io.Discard, p); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

package bench

import (
	"fmt"
	"io"
	"time"
)

// Targets of the scale run.
const (
	// ApplyCopyRatio is the most apply may take, as a multiple of COPY.
	ApplyCopyRatio = 1.5
	// NoopPlanTime and NoopPlanRSS bound a no-op plan at the largest size.
	NoopPlanTime = time.Second
	NoopPlanRSS  = 256 << 20
	// HashOverhead is how far over the hashing alone accounts may take.
	HashOverhead = 0.10
)

// Write prints the report as Markdown tables.
func (r *Report) Write(w io.Writer) error {
	p := &printer{w: w}
	m := r.Machine
	p.f("Machine: %d cores, %s, %s memory; PostgreSQL %s; %s.\n\n", m.Cores, m.CPU, m.Memory, m.PostgreSQL, m.Go)
	if len(r.Sizes) > 0 {
		p.f("| staff | apply | of which planning | COPY baseline | apply / COPY | apply per 1k | no-op plan | plan per 1k | apply peak RSS | plan peak RSS |\n")
		p.f("|------:|------:|------------------:|--------------:|-------------:|-------------:|-----------:|------------:|---------------:|--------------:|\n")
		for _, s := range r.Sizes {
			k := float64(s.Staff) / 1000
			p.f("| %d | %s | %s | %s | %.2f× | %s | %s | %s | %s | %s |\n", s.Staff, secs(s.Apply), secs(s.CreatePlan), secs(s.Copy),
				s.Apply.Seconds()/s.Copy.Seconds(), ms(time.Duration(float64(s.Apply)/k)), secs(s.Plan),
				ms(time.Duration(float64(s.Plan)/k)), mb(s.ApplyRSS), mb(s.PlanRSS))
		}
		p.f("\n")
		last := r.Sizes[len(r.Sizes)-1]
		ratio := last.Apply.Seconds() / last.Copy.Seconds()
		p.f("- apply of %d staff: %.2f× COPY (target ≤ %.1f×): %s\n", last.Staff, ratio, ApplyCopyRatio, verdict(ratio <= ApplyCopyRatio))
		p.f("- no-op plan at %d staff: %s (target ≤ %s): %s; peak %s (target ≤ %s): %s\n", last.Staff,
			secs(last.Plan), secs(NoopPlanTime), verdict(last.Plan <= NoopPlanTime),
			mb(last.PlanRSS), mb(NoopPlanRSS), verdict(last.PlanRSS <= NoopPlanRSS))
	}
	if h := r.Hash; h != nil {
		over := h.Apply.Seconds()/h.Ideal().Seconds() - 1
		p.f("- %d accounts at %d iterations: apply %s; one hash %s × %d / %d cores = %s; %+.1f%% (target ≤ +%.0f%%): %s\n",
			h.Accounts, h.Iterations, secs(h.Apply), ms(h.OneHash), h.Accounts, h.Cores, secs(h.Ideal()),
			over*100, HashOverhead*100, verdict(over <= HashOverhead))
		p.f("- the same apply at 1 iteration (everything but the hashing): %s, %.1f%% of the hashing alone\n",
			secs(h.Rest), h.Rest.Seconds()/h.Ideal().Seconds()*100)
	}
	return p.err
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

func secs(d time.Duration) string { return fmt.Sprintf("%.3f s", d.Seconds()) }
func ms(d time.Duration) string   { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
func mb(b int64) string           { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }

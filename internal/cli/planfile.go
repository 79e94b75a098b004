package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/px360/staffseed/plan"
)

// savePlan writes a plan readable only by its owner: it names every new
// account, though it holds no secret.
func savePlan(path string, p *plan.Plan) error {
	data, err := plan.Encode(p)
	if err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	return os.Chmod(path, 0o600)
}

// loadPlan reads a plan saved by `plan --out`.
func loadPlan(path string) (*plan.Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read plan: %w", err)
	}
	p, err := plan.Decode(data)
	if errors.Is(err, plan.ErrNotAPlan) {
		return nil, fmt.Errorf("%s is %w (make one with `staffseed plan --out %s`)", path, err, path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

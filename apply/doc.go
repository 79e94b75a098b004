// Package apply executes a plan against PostgreSQL and the mail transport:
// structure first, then removals, updates and creations in committed
// batches, then credential emails, each recorded as delivered only once the
// mail server has accepted it. It executes the plan it is given and never
// re-plans; what happens is reported as events to a view. Options.Stop
// asks it to stop after the batch under way; killed at any moment, it
// leaves only whole batches behind, and the next plan shows what is left.
package apply

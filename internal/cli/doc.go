// Package cli is staffseed's command line: cobra commands whose flags are
// parsed into a typed struct per command, wiring spec decoding, the store,
// the planner, apply and the views together. It is the only layer that
// reads the environment and talks to the terminal.
package cli

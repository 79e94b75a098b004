// Command staffseed provisions hospital staff in a PX360 database from a
// declarative spec: validate, plan, apply, destroy, migrate, seed-staff.
package main

import (
	"os"

	"github.com/px360/staffseed/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.OSStreams()))
}

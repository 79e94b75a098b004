// Command staffseed provisions hospital staff in a PX360 database from a
// declarative spec: validate, plan, apply, destroy, migrate, seed-staff.
package main

func main() {}

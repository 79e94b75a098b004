seed = 7  # ERROR: (in HCL: `version = 1`)
hospital "ALMADINA" {
}

version = 1
hospital "AB" {
  name    = "Al\nMadina"  # ERROR: `hospital.AB.name` contains the control character U+000A
  name_ar = "x\ry"  # ERROR: control character U+000D
  department "E\tR" {  # ERROR: A department name contains the control character U+0009
  }
}

version = 1
hospital "AB" {
  name = upper(1, 2)  # ERROR: Too many function arguments
}
staff "nurses" {
  count = length(range(1000000))  # ERROR: range may make at most 100000 numbers
}
staff "physicians" {
  count = nosuch(1)  # ERROR: Call to unknown function
}

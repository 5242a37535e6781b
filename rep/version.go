package rep

// Version is the library version recorded in every spec.
const Version = "0.1.0-dev"

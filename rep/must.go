package rep

// Must returns v, and panics if err is not nil. It is meant for notebooks,
// examples and tests: task := rep.Must(rep.NewTask(2).Build()).
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

package datasets

import (
	"runtime"
	"sync"
)

var (
	shippedOnce sync.Once
	shippedSet  *ImageSet
	shippedErr  error
)

func totalAlloc() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

package datasets

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// writeFileAtomic writes a file through write into a temporary file in the
// same directory, then renames it into place: readers see the old file or
// the complete new one, and a failure leaves no partial file behind.
func writeFileAtomic(path string, write func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("datasets: writing %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("datasets: writing %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("datasets: writing %s: %w", path, err)
	}
	// CreateTemp makes the file 0600; a saved result is an ordinary file.
	if err = os.Chmod(f.Name(), 0o644); err != nil {
		return fmt.Errorf("datasets: writing %s: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("datasets: writing %s: %w", path, err)
	}
	return nil
}

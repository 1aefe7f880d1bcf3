//go:build linux || darwin

package main

import (
	"os"
	"syscall"
)

// mapFile maps a regular file read-only instead of reading it into the Go heap. A heap buffer
// counts twice towards the peak: once itself, and again as the headroom the garbage collector
// grants every live byte while the objects are decoded. Mapped pages are the page cache's, outside
// the heap: release drops those of data[from:to] from the process (touched again, they are read
// from the file again), so the decode holds a window of the file rather than all of it, and unmap
// hands back the rest. ok is false when the file cannot be mapped (an empty file, a file system
// without mmap): the caller reads it instead. A file truncated while mapped would end the process
// on a fault where a read would have seen the shorter file; a dump being scanned is not written.
func mapFile(f *os.File, size int) (data []byte, unmap func(), release func(from, to int), ok bool) {
	if size <= 0 {
		return nil, nil, nil, false
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil, nil, false
	}
	page := os.Getpagesize()
	release = func(from, to int) {
		// Only whole pages: the pages at either end hold bytes of the neighbouring ranges.
		from = (from + page - 1) / page * page
		to = to / page * page
		if from < to {
			_ = syscall.Madvise(data[from:to], syscall.MADV_DONTNEED)
		}
	}
	return data, func() { _ = syscall.Munmap(data) }, release, true
}

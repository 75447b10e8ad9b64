package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// fileFloor times what creating a built site's files costs by itself, on
// this machine's disk, now: the files under public are created again under
// dir (which must not exist) by four goroutines, as Postcard's writer does
// (a file opened, written and closed in place, its folder made once; a
// file with more than one link, a card or image published from the build
// cache, linked rather than copied). Nothing is rendered, so the figure is
// the floor under a cold build's wall time that no generator can go below
// on the same disk. It varies a great deal from minute to minute on a
// shared virtual disk (after a large delete, say), which is why the
// harness prints it beside each size's cold builds.
//
// The copy is left in dir: removing tens of thousands of files would slow
// the next build's file creation, which is what is being measured. The
// caller removes it when the runs are done.
func fileFloor(public, dir string) (measure, int, error) {
	type file struct {
		rel  string
		size int64
		link bool
	}
	var files []file
	err := filepath.WalkDir(public, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(public, p)
		if err != nil {
			return err
		}
		st, ok := info.Sys().(*syscall.Stat_t)
		files = append(files, file{rel: rel, size: info.Size(), link: ok && st.Nlink > 1})
		return nil
	})
	if err != nil {
		return measure{}, 0, err
	}
	if _, err := os.Stat(dir); err == nil {
		return measure{}, 0, fmt.Errorf("%s exists", dir)
	}
	var before syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &before); err != nil {
		return measure{}, 0, err
	}
	start := time.Now()
	jobs := make(chan file, 64)
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	var mu sync.Mutex
	made := map[string]bool{}
	for range 4 {
		wg.Go(func() {
			for f := range jobs {
				if err := floorFile(public, dir, f.rel, f.link, &mu, made); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for _, f := range files {
		jobs <- f
	}
	close(jobs)
	wg.Wait()
	wall := time.Since(start)
	var after syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &after); err != nil {
		return measure{}, 0, err
	}
	select {
	case err := <-errs:
		return measure{}, 0, err
	default:
	}
	cpu := time.Duration(after.Utime.Nano()-before.Utime.Nano()) + time.Duration(after.Stime.Nano()-before.Stime.Nano())
	return measure{wall: wall, cpu: cpu}, len(files), nil
}

// floorFile creates dir/rel as public/rel is: linked to it when link,
// else a copy of its bytes, its folder made once.
func floorFile(public, dir, rel string, link bool, mu *sync.Mutex, made map[string]bool) error {
	src, dst := filepath.Join(public, rel), filepath.Join(dir, rel)
	folder := filepath.Dir(dst)
	mu.Lock()
	known := made[folder]
	mu.Unlock()
	if !known {
		if err := os.MkdirAll(folder, 0o755); err != nil {
			return err
		}
		mu.Lock()
		made[folder] = true
		mu.Unlock()
	}
	if link {
		return os.Link(src, dst)
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

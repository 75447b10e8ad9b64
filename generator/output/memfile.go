package output

import (
	"io"
	"io/fs"
	"path"
	"strings"
	"time"
)

type memFile struct {
	name string
	*strings.Reader
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return memInfo{f}, nil }
func (f *memFile) Close() error               { return nil }

type memInfo struct{ f *memFile }

func (i memInfo) Name() string       { return path.Base(i.f.name) }
func (i memInfo) Size() int64        { return i.f.size }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

// sourceFile is a Source opened for reading through the Set's FS.
type sourceFile struct {
	io.ReadCloser
	info memInfo
}

func (f *sourceFile) Stat() (fs.FileInfo, error) { return f.info, nil }

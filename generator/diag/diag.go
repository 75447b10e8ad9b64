// Package diag holds errors as data with a place.
//
// Editors fix content from the messages a build prints, so every problem Postcard
// finds names the file, line and column it comes from ("content/x.md:3:1: ...").
// Stages collect problems in a List and report them all at once instead of
// stopping at the first, so one run shows every mistake in a merge request.
package diag

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Pos is a place in a source file. Line and Col start at 1; zero means unknown.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	switch {
	case p.File == "":
		return ""
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Severity tells a problem that stops a build from one that does not.
type Severity int

const (
	// SeverityError stops the build: nothing is published.
	SeverityError Severity = iota
	// SeverityWarning is reported, and the build goes on.
	SeverityWarning
)

func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// Error is one problem at one place. Msg does not repeat the severity:
// Error() adds "warning: " before a warning's message.
type Error struct {
	Pos      Pos
	Msg      string
	Severity Severity
}

func (e *Error) Error() string {
	msg := e.Msg
	if e.Severity == SeverityWarning {
		msg = "warning: " + msg
	}
	if s := e.Pos.String(); s != "" {
		return s + ": " + msg
	}
	return msg
}

// Errorf returns an *Error at pos.
func Errorf(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// Warningf returns a warning at pos: a problem that does not stop the build.
func Warningf(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Severity: SeverityWarning}
}

// AsWarning returns e as a warning, its message without a leading
// "warning: ", for stages that still write it into the message.
func AsWarning(e *Error) *Error {
	w := *e
	w.Severity = SeverityWarning
	w.Msg = strings.TrimPrefix(w.Msg, "warning: ")
	return &w
}

// List collects problems. The zero value is ready to use.
type List struct {
	errs []*Error
}

// Add records a problem at pos.
func (l *List) Add(pos Pos, format string, args ...any) {
	l.errs = append(l.errs, Errorf(pos, format, args...))
}

// Warn records a warning at pos.
func (l *List) Warn(pos Pos, format string, args ...any) {
	l.errs = append(l.errs, Warningf(pos, format, args...))
}

// AddErr records err; an *Error (or a joined error holding some) keeps its
// place, any other error is placed at pos.
func (l *List) AddErr(pos Pos, err error) {
	if err == nil {
		return
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			l.AddErr(pos, e)
		}
		return
	}
	var de *Error
	if errors.As(err, &de) {
		l.errs = append(l.errs, de)
		return
	}
	l.errs = append(l.errs, &Error{Pos: pos, Msg: err.Error()})
}

// Merge appends every problem of other.
func (l *List) Merge(other *List) { l.errs = append(l.errs, other.errs...) }

// Len reports how many problems were recorded.
func (l *List) Len() int { return len(l.errs) }

// Errors returns the problems sorted by file, line and column, duplicates removed.
func (l *List) Errors() []*Error {
	out := slices.Clone(l.errs)
	slices.SortStableFunc(out, func(a, b *Error) int {
		return cmp.Or(
			strings.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			strings.Compare(a.Msg, b.Msg),
		)
	})
	return slices.CompactFunc(out, func(a, b *Error) bool { return *a == *b })
}

// Err returns nil when the list is empty, or an error whose message holds one
// problem per line.
func (l *List) Err() error {
	if len(l.errs) == 0 {
		return nil
	}
	return &ListError{Errs: l.Errors()}
}

// ListError is the error form of a List.
type ListError struct{ Errs []*Error }

func (e *ListError) Error() string {
	var b strings.Builder
	for i, err := range e.Errs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(err.Error())
	}
	return b.String()
}

// Unwrap lets errors.As find each problem.
func (e *ListError) Unwrap() []error {
	out := make([]error, len(e.Errs))
	for i, err := range e.Errs {
		out[i] = err
	}
	return out
}

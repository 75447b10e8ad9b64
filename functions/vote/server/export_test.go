package server

import (
	"io"
	"log/slog"
)

// NewRedactorForTest returns the server's error-log writer, logging to w.
func NewRedactorForTest(w io.Writer) io.Writer {
	return redactor{slog.New(slog.NewTextHandler(w, nil))}
}

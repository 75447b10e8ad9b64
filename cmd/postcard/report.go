package main

// How check reports problems: as text for people (file:line:col: message
// on standard error), as GitHub Actions workflow commands that annotate
// each line of a pull request, or as JSON for other tools. Warnings are
// reported in every format, alongside the errors when there are some;
// only errors fail the command.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/postcard-ssg/postcard/generator/diag"
)

// The report formats of --format.
const (
	formatText   = "text"
	formatGitHub = "github"
	formatJSON   = "json"
)

var reportFormats = []string{formatText, formatGitHub, formatJSON}

// problems are a build's errors as data: diag errors keep their place, any
// other error is one problem without a place.
func problems(err error) []*diag.Error {
	if err == nil {
		return nil
	}
	var le *diag.ListError
	var de *diag.Error
	switch {
	case errors.As(err, &le):
		return le.Errs
	case errors.As(err, &de):
		return []*diag.Error{de}
	}
	return []*diag.Error{{Msg: err.Error()}}
}

// jsonProblem is one problem in --format json.
type jsonProblem struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

// writeJSON writes problems as a JSON array, empty when there are none.
func writeJSON(w io.Writer, ps []*diag.Error) error {
	out := make([]jsonProblem, 0, len(ps))
	for _, p := range ps {
		out = append(out, jsonProblem{File: p.Pos.File, Line: p.Pos.Line, Col: p.Pos.Col, Severity: p.Severity.String(), Message: p.Msg})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// writeGitHub writes each problem as a workflow command, which GitHub
// shows on the line of the pull request's diff it names.
func writeGitHub(w io.Writer, ps []*diag.Error) {
	for _, p := range ps {
		var props []string
		if p.Pos.File != "" {
			props = append(props, "file="+escapeProperty(p.Pos.File))
			if p.Pos.Line > 0 {
				props = append(props, "line="+strconv.Itoa(p.Pos.Line))
				if p.Pos.Col > 0 {
					props = append(props, "col="+strconv.Itoa(p.Pos.Col))
				}
			}
		}
		cmd := p.Severity.String()
		if len(props) > 0 {
			cmd += " " + strings.Join(props, ",")
		}
		fmt.Fprintf(w, "::%s::%s\n", cmd, escapeData(p.Msg))
	}
}

// escapeData escapes a workflow command's message as the runner expects.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value, where ':'
// and ',' also separate.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

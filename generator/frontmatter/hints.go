package frontmatter

// The TOML and YAML parsers report what they could not read ("Invalid float
// value", "mapping value is not allowed in this context"), which tells an
// editor little about what to type instead. The usual mistakes are few and
// show on the offending line itself: a date written as people write it, a
// tab, a colon in an unquoted sentence, curly quotes pasted from a word
// processor. syntaxHint reads that line and names the fix, kept after the
// parser's own message and place.

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// curlyQuotes are the quotation marks word processors and phones type.
const curlyQuotes = "“”„‟‘’‚‛«»"

// localDate matches a date written day first or month first, such as
// 30.11.2026 or 11/30/2026.
var localDate = regexp.MustCompile(`^(\d{1,2})([./-])(\d{1,2})[./-](\d{4})$`)

// syntaxHint returns the fix for a syntax error on line, the text of the
// line the parser stopped on, or "" when none applies. The hint starts with
// ": " to follow the parser's message.
func syntaxHint(format Format, line string) string {
	line = strings.TrimRight(line, "\r")
	key, value, ok := splitKeyValue(format, line)
	switch {
	case strings.ContainsAny(line, curlyQuotes):
		return `: use straight quotes (") instead of curly ones (“ ”)`
	case format == YAML && strings.Contains(line[:len(line)-len(strings.TrimLeft(line, " \t"))], "\t"):
		return ": indent with spaces, not tabs"
	case !ok:
		return ""
	case localDate.MatchString(value):
		return ": write dates as YYYY-MM-DD, e.g. " + isoDate(value)
	case format == YAML && strings.Contains(value, ": ") && !quoted(value):
		return fmt.Sprintf(": the value holds \": \", so quote it: %s: %q", key, value)
	case format == TOML && bareText(value):
		return fmt.Sprintf(": quote text values: %s = %q", key, value)
	}
	return ""
}

// splitKeyValue splits "key = value" (TOML) or "key: value" (YAML), the
// value without a trailing comment.
func splitKeyValue(format Format, line string) (key, value string, ok bool) {
	sep := " = "
	if format == YAML {
		sep = ": "
	}
	t := strings.TrimSpace(line)
	if format == TOML && !strings.Contains(t, sep) {
		sep = "="
	}
	key, value, ok = strings.Cut(t, sep)
	key, value = strings.TrimSpace(key), strings.TrimSpace(value)
	if i := strings.Index(value, " #"); i >= 0 && !quoted(value) {
		value = strings.TrimSpace(value[:i])
	}
	return key, value, ok && key != "" && value != ""
}

func quoted(s string) bool {
	return s != "" && (s[0] == '"' || s[0] == '\'')
}

// bareText reports whether a TOML value is text written without quotes:
// it starts with a letter and is no boolean or special float.
func bareText(s string) bool {
	switch s {
	case "true", "false", "inf", "nan":
		return false
	}
	c := s[0]
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// isoDate rewrites a date matched by localDate as YYYY-MM-DD: day first
// with dots or dashes (30.11.2026), month first with slashes (11/30/2026)
// unless the first number cannot be a month. It falls back to an example
// when the date is not one either way.
func isoDate(s string) string {
	m := localDate.FindStringSubmatch(s)
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[3])
	day, month := a, b
	if m[2] == "/" && a <= 12 {
		day, month = b, a
	}
	if day < 1 || day > 31 || month < 1 || month > 12 {
		return "2026-11-30"
	}
	return fmt.Sprintf("%s-%02d-%02d", m[4], month, day)
}

// lineAt returns the text of the 1-based line n of src.
func lineAt(src []byte, n int) string {
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return ""
		}
		src = src[j+1:]
	}
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return string(src)
}

package frontmatter

// Keys returns the table's keys in the order they were written, for a
// table whose keys are data (such as one text per language code). It marks
// none of them known.
func (f *Fields) Keys() []string { return append([]string(nil), f.m.Keys...) }

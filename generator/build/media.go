package build

import (
	"slices"

	"github.com/postcard-ssg/postcard/generator/content"
)

func sortedMedia(m map[string]*content.Media) []*content.Media {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]*content.Media, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

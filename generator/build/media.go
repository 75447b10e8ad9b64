package build

import (
	"fmt"
	"net/url"
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

func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--base-url %q must be an absolute http or https URL", raw)
	}
	if u.Path == "" || u.Path[len(u.Path)-1] != '/' {
		u.Path += "/"
	}
	return u, nil
}

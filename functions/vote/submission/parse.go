package submission

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/postcard-ssg/postcard/functions/vote"
)

// The form's fields, and the limits of the text ones (in bytes as read; the
// checks count runes where the contract says so).
var textFields = map[string]int64{
	"lang": 16, "kind": 16, "title": 1 << 10, "body": maxBody, "place": 1 << 10,
	"contest": 256, "category": 256, "video": 2 << 10, "name": 1 << 10, "email": 1 << 10,
	"license": 256, "consent": 256, "cf-turnstile-response": 4 << 10,
}

const (
	maxBody  = 20000
	maxParts = 64
	// maxPerField is how much of an over-long text field is read before it
	// is known to be too long.
	slack = 1
)

// post is a parsed request: its text fields and its photos by number.
type post struct {
	lang    string
	values  map[string]string
	photos  map[int][]byte
	unknown []string // unknown field names, in order
	twice   []string
	tooLong map[string]bool
	// tooBig are photo numbers over the byte budget (read no further).
	tooBig map[int]bool
}

// parse reads the multipart body part by part: never more than the cap in
// all (http.MaxBytesReader), each text field bounded, each photo bounded
// by the site's byte budget, nothing written to disk.
func (h *Handler) parse(w http.ResponseWriter, r *http.Request) (*post, error) {
	if r.ContentLength > h.maxBody {
		return nil, vote.Errorf(vote.TooLarge, "the body is larger than %d bytes", h.maxBody)
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, vote.Errorf(vote.Invalid, "the body must be multipart/form-data")
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.maxBody)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, vote.Errorf(vote.Invalid, "the body must be multipart/form-data")
	}
	p := &post{values: map[string]string{}, photos: map[int][]byte{}, tooLong: map[string]bool{}, tooBig: map[int]bool{}}
	seen := map[string]bool{}
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, readError(err)
		}
		if n >= maxParts {
			return nil, vote.Errorf(vote.Invalid, "too many fields")
		}
		name := part.FormName()
		if seen[name] {
			p.twice = append(p.twice, name)
			if _, err := io.Copy(io.Discard, part); err != nil {
				return nil, readError(err)
			}
			continue
		}
		seen[name] = true
		limit, kind, idx := h.fieldLimit(name)
		if kind == "" {
			if len(p.unknown) < 8 {
				p.unknown = append(p.unknown, name)
			}
			if _, err := io.Copy(io.Discard, part); err != nil {
				return nil, readError(err)
			}
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, limit+slack))
		if err != nil {
			return nil, readError(err)
		}
		over := int64(len(b)) > limit
		if over {
			if _, err := io.Copy(io.Discard, part); err != nil {
				return nil, readError(err)
			}
		}
		if kind == "photo" {
			if over {
				p.tooBig[idx] = true
			} else if len(b) > 0 {
				p.photos[idx] = b
			}
			continue
		}
		if over {
			p.tooLong[name] = true
			b = b[:0]
		}
		p.values[name] = string(b)
	}
	p.lang = h.defaultLang()
	for _, l := range h.sub.Languages {
		if p.values["lang"] == l {
			p.lang = l
		}
	}
	return p, nil
}

// fieldLimit tells what a field is ("text" or "photo"; "" when unknown),
// how many bytes of it may be read, and for numbered fields the number.
func (h *Handler) fieldLimit(name string) (int64, string, int) {
	if l, ok := textFields[name]; ok {
		return l, "text", 0
	}
	for _, prefix := range []string{"photo_", "alt_", "caption_"} {
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok {
			continue
		}
		i, err := strconv.Atoi(rest)
		if err != nil || i < 1 || i > h.sub.MaxPhotos || strconv.Itoa(i) != rest {
			return 0, "", 0
		}
		if prefix == "photo_" {
			return h.sub.MaxBytes, "photo", i
		}
		return 4 << 10, "text", i
	}
	return 0, "", 0
}

func readError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return vote.Errorf(vote.TooLarge, "the body is larger than %d bytes", tooLarge.Limit)
	}
	return vote.Errorf(vote.Invalid, "cannot read the body")
}

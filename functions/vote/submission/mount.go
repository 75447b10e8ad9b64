package submission

import (
	"net/http"

	"github.com/postcard-ssg/postcard/functions/vote"
)

// Mount returns the function's whole handler: the vote API of c and, when
// c.Store also keeps submissions (both stores do), the submission endpoint
// beside it, sharing its secret, origins, client addresses, Turnstile and
// per-client rate limit. defaultMax caps a submission request when the
// manifest sets no max_request_bytes (vote.ServerlessMaxRequest or
// vote.ServerMaxRequest). Every deployment (votes serve, postcard serve,
// Lambda, Netlify) serves this handler.
func Mount(c vote.Config, defaultMax int64) (http.Handler, error) {
	vh, err := vote.NewHandler(c)
	if err != nil {
		return nil, err
	}
	store, ok := c.Store.(vote.SubmissionStore)
	if !ok {
		return vh, nil
	}
	return NewHandler(Config{
		Manifest:       c.Manifest,
		Store:          store,
		Secret:         c.Secret,
		DefaultMaxBody: defaultMax,
		Origins:        c.Origins,
		ClientAddr:     c.ClientAddr,
		Challenge:      c.Challenge,
		Now:            c.Now,
		Rand:           c.Rand,
		Logger:         c.Logger,
		RateLimit:      vh.Allow,
		Next:           vh,
	})
}

package vote

import (
	"errors"
	"net/http"
	"time"
)

// submissionChallenge answers GET /api/votes/challenge?for=submission
// [&contest=]: a challenge for a submission's script post, scoped so that
// it pays for a submission only (SubmissionScope), with the contest's
// difficulty or, without a contest, the site's.
func (h *Handler) submissionChallenge(w http.ResponseWriter, r *http.Request) {
	if err := h.checkRate(r); err != nil {
		h.fail(w, r, err)
		return
	}
	sub := h.m.Submissions
	if sub == nil || !sub.Enabled {
		h.fail(w, r, Errorf(NotFound, "this site takes no submissions"))
		return
	}
	slug := r.URL.Query().Get("contest")
	difficulty := sub.Challenge
	if slug != "" {
		c := sub.Contest(slug)
		if c == nil {
			h.fail(w, r, Errorf(NotFound, "no contest %q", slug))
			return
		}
		difficulty = c.Challenge
	}
	resp := challengeResponse{Contest: slug, Difficulty: difficulty}
	if difficulty > 0 {
		expires := h.now().Add(proofTTL).Truncate(time.Second)
		token, err := h.prover.issue(h.rand, SubmissionScope(slug), difficulty, expires)
		if err != nil {
			h.fail(w, r, errors.Join(Errorf(Internal, "cannot create a challenge"), err))
			return
		}
		resp.Challenge, resp.Expires = token, expires.UTC().Format(time.RFC3339)
	}
	WriteJSON(w, http.StatusOK, resp)
}

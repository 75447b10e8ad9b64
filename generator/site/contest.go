package site

import "time"

// Contest phases, as a visitor sees them at a moment.
const (
	PhaseUpcoming   = "upcoming"   // before submissions open
	PhaseSubmission = "submission" // submissions open, voting not yet
	PhaseVoting     = "voting"     // voting open
	PhaseBetween    = "between"    // submissions closed, voting not yet open
	PhaseClosed     = "closed"     // voting over
)

// VotingStart is the first instant of voting.
func (c *Contest) VotingStart() time.Time { return startOfDay(c.Source.VotingOpens) }

// VotingEnd is the first instant after voting: the end of the last voting day.
func (c *Contest) VotingEnd() time.Time { return startOfDay(c.Source.VotingCloses).AddDate(0, 0, 1) }

// SubmissionEnd is the first instant after the submission window.
func (c *Contest) SubmissionEnd() time.Time { return startOfDay(c.Source.Closes).AddDate(0, 0, 1) }

func startOfDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// Phase is the contest's phase at now.
func (c *Contest) Phase(now time.Time) string {
	switch {
	case !now.Before(c.VotingEnd()):
		return PhaseClosed
	case !now.Before(c.VotingStart()):
		return PhaseVoting
	case now.Before(startOfDay(c.Source.Opens)):
		return PhaseUpcoming
	case now.Before(c.SubmissionEnd()):
		return PhaseSubmission
	}
	return PhaseBetween
}

// Open lists the contests that take submissions or votes at now.
func (s *Site) Open() []*Contest {
	var out []*Contest
	for _, c := range s.Contests {
		switch c.Phase(s.Now) {
		case PhaseSubmission, PhaseVoting, PhaseBetween:
			out = append(out, c)
		}
	}
	return out
}

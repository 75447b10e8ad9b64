package sqlite

// The submission store. Submissions are rare and large beside votes, so
// they do not go through the vote writer's group commit: each is one
// BEGIN IMMEDIATE transaction on a pooled connection, which waits for the
// writer's lock (busy_timeout) and commits with synchronous=FULL.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
)

var _ vote.SubmissionStore = (*Store)(nil)

func (s *Store) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return errors.New("sqlite store: closed")
	}
	tx, err := s.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE (_txlock)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Submit implements vote.SubmissionStore.
func (s *Store) Submit(ctx context.Context, sub vote.Submission, q vote.Quota) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if q.Limit > 0 {
			form := 0
			if q.Form {
				form = 1
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO submission_networks (network, day, form, used) VALUES (?, ?, ?, 1)
				ON CONFLICT (network, day, form) DO UPDATE SET used = used + 1 WHERE used < ?`,
				append([]byte{}, q.Network...), sub.At.UTC().Unix()/86400, form, q.Limit)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				return vote.ErrSubmissionQuota
			}
		}
		var proof any
		if len(q.Proof) > 0 {
			proof = q.Proof
			var used bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM submissions WHERE proof = ?)`, q.Proof).Scan(&used); err != nil {
				return err
			}
			if used {
				return vote.Errorf(vote.Forbidden, "this challenge was already used; send the form again")
			}
		}
		at := sub.At.UnixMicro()
		if _, err := tx.ExecContext(ctx, `INSERT INTO submissions (receipt, at, lang, kind, title, body, place, contest, category, video, name, license, status_at, proof)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			sub.Receipt, at, sub.Lang, sub.Kind, sub.Title, sub.Body, sub.Place, sub.Contest, sub.Category, sub.Video, sub.Name, sub.License, at, proof); err != nil {
			return fmt.Errorf("sqlite store: submit: %w", err)
		}
		for _, m := range sub.Media {
			if _, err := tx.ExecContext(ctx, `INSERT INTO submission_media (receipt, idx, format, alt, caption, data) VALUES (?, ?, ?, ?, ?, ?)`,
				sub.Receipt, m.Index, m.Format, m.Alt, m.Caption, m.Data); err != nil {
				return fmt.Errorf("sqlite store: submit: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO submission_consents (receipt, version, lang, at) VALUES (?, ?, ?, ?)`,
			sub.Receipt, sub.Consent, sub.Lang, at); err != nil {
			return err
		}
		var network any
		if len(sub.Network) > 0 {
			network = sub.Network
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO submission_contacts (receipt, email, network, at) VALUES (?, ?, ?, ?)`,
			sub.Receipt, sub.Email, network, at)
		return err
	})
}

const submissionColumns = `s.receipt, s.at, s.lang, s.kind, s.title, s.body, s.place, s.contest, s.category, s.video, s.name, s.license,
	s.status, s.reason, s.status_at, coalesce(c.version, ''), coalesce(k.email, ''), k.network,
	(SELECT count(*) FROM submission_media m WHERE m.receipt = s.receipt)
	FROM submissions s LEFT JOIN submission_consents c ON c.receipt = s.receipt LEFT JOIN submission_contacts k ON k.receipt = s.receipt`

func scanSubmission(row interface{ Scan(...any) error }) (vote.Submission, error) {
	var sub vote.Submission
	var at, statusAt int64
	err := row.Scan(&sub.Receipt, &at, &sub.Lang, &sub.Kind, &sub.Title, &sub.Body, &sub.Place, &sub.Contest, &sub.Category,
		&sub.Video, &sub.Name, &sub.License, &sub.Status, &sub.Reason, &statusAt, &sub.Consent, &sub.Email, &sub.Network, &sub.MediaCount)
	sub.At, sub.StatusAt = time.UnixMicro(at).UTC(), time.UnixMicro(statusAt).UTC()
	return sub, err
}

// Submissions implements vote.SubmissionStore.
func (s *Store) Submissions(ctx context.Context, status string) ([]vote.Submission, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+submissionColumns+` WHERE ? = '' OR s.status = ? ORDER BY s.at, s.receipt`, status, status)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vote.Submission
	for rows.Next() {
		sub, err := scanSubmission(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// Submission implements vote.SubmissionStore.
func (s *Store) Submission(ctx context.Context, receipt string) (vote.Submission, error) {
	sub, err := scanSubmission(s.db.QueryRowContext(ctx, `SELECT `+submissionColumns+` WHERE s.receipt = ?`, receipt))
	if errors.Is(err, sql.ErrNoRows) {
		return sub, vote.Errorf(vote.NotFound, "no submission %q", receipt)
	}
	if err != nil {
		return sub, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT idx, format, alt, caption, data FROM submission_media WHERE receipt = ? ORDER BY idx`, receipt)
	if err != nil {
		return sub, err
	}
	defer rows.Close()
	for rows.Next() {
		var m vote.Media
		if err := rows.Scan(&m.Index, &m.Format, &m.Alt, &m.Caption, &m.Data); err != nil {
			return sub, err
		}
		sub.Media = append(sub.Media, m)
	}
	return sub, rows.Err()
}

// SetStatus implements vote.SubmissionStore.
func (s *Store) SetStatus(ctx context.Context, receipt, status, reason string, t time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE submissions SET status = ?, reason = ?, status_at = ? WHERE receipt = ?`, status, reason, t.UnixMicro(), receipt)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return vote.Errorf(vote.NotFound, "no submission %q", receipt)
		}
		return nil
	})
}

// Forget implements vote.SubmissionStore.
func (s *Store) Forget(ctx context.Context, receipt string) (bool, error) {
	var found bool
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, table := range []string{"submission_media", "submission_consents", "submission_contacts"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE receipt = ?`, receipt); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM submissions WHERE receipt = ?`, receipt)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		found = n > 0
		return err
	})
	return found, err
}

// Purge implements vote.SubmissionStore.
func (s *Store) Purge(ctx context.Context, before time.Time) (vote.PurgeReport, error) {
	var r vote.PurgeReport
	t := before.UnixMicro()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		count := func(dst *int, query string, args ...any) error {
			res, err := tx.ExecContext(ctx, query, args...)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			*dst = int(n)
			return err
		}
		if err := count(&r.Contacts, `DELETE FROM submission_contacts WHERE at < ?`, t); err != nil {
			return err
		}
		if err := count(&r.Media, `DELETE FROM submission_media WHERE receipt IN
			(SELECT receipt FROM submissions WHERE status IN ('pulled', 'rejected') AND status_at < ?)`, t); err != nil {
			return err
		}
		if err := count(&r.Forms, `DELETE FROM submission_forms WHERE expires < ?`, t); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM submission_networks WHERE day < ?`, before.UTC().Unix()/86400)
		return err
	})
	return r, err
}

// SaveForm implements vote.SubmissionStore.
func (s *Store) SaveForm(ctx context.Context, token string, data []byte, expires time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO submission_forms (token, data, expires) VALUES (?, ?, ?)`, token, data, expires.UnixMicro())
		return err
	})
}

// GetForm implements vote.SubmissionStore.
func (s *Store) GetForm(ctx context.Context, token string, now time.Time) ([]byte, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM submission_forms WHERE token = ? AND expires > ?`, token, now.UnixMicro()).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vote.Errorf(vote.NotFound, "this form has expired")
	}
	return data, err
}

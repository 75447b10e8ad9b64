package postgres

// The submission store: each Submit is one transaction (quota row, then
// the submission, its media, consent and contact), committed before it
// returns; the unique index on submissions.proof makes a proof of work buy
// one submission even between concurrent posts.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/postcard-ssg/postcard/functions/vote"
)

var _ vote.SubmissionStore = (*Store)(nil)

var errProofUsed = vote.Errorf(vote.Forbidden, "this challenge was already used; send the form again")

// Submit implements vote.SubmissionStore.
func (s *Store) Submit(ctx context.Context, sub vote.Submission, q vote.Quota) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if q.Limit > 0 {
			tag, err := tx.Exec(ctx, `INSERT INTO submission_networks (network, day, form, used) VALUES ($1, ($2::timestamptz AT TIME ZONE 'UTC')::date, $3, 1)
				ON CONFLICT (network, day, form) DO UPDATE SET used = submission_networks.used + 1 WHERE submission_networks.used < $4`,
				append([]byte{}, q.Network...), sub.At, q.Form, q.Limit)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				return vote.ErrSubmissionQuota
			}
		}
		var proof []byte
		if len(q.Proof) > 0 {
			proof = q.Proof
		}
		if _, err := tx.Exec(ctx, `INSERT INTO submissions (receipt, at, lang, kind, title, body, place, contest, category, video, name, license, status_at, proof)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $2, $13)`,
			sub.Receipt, sub.At, sub.Lang, sub.Kind, sub.Title, sub.Body, sub.Place, sub.Contest, sub.Category, sub.Video, sub.Name, sub.License, proof); err != nil {
			return err
		}
		for _, m := range sub.Media {
			if _, err := tx.Exec(ctx, `INSERT INTO submission_media (receipt, idx, format, alt, caption, data) VALUES ($1, $2, $3, $4, $5, $6)`,
				sub.Receipt, m.Index, m.Format, m.Alt, m.Caption, m.Data); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO submission_consents (receipt, version, lang, at) VALUES ($1, $2, $3, $4)`,
			sub.Receipt, sub.Consent, sub.Lang, sub.At); err != nil {
			return err
		}
		var network []byte
		if len(sub.Network) > 0 {
			network = sub.Network
		}
		_, err := tx.Exec(ctx, `INSERT INTO submission_contacts (receipt, email, network, at) VALUES ($1, $2, $3, $4)`,
			sub.Receipt, sub.Email, network, sub.At)
		return err
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == "submissions_proof" {
		return errProofUsed
	}
	if err != nil && vote.ErrorCode(err) == vote.Internal {
		return fmt.Errorf("postgres store: submit: %w", err)
	}
	return err
}

const submissionColumns = `s.receipt, s.at, s.lang, s.kind, s.title, s.body, s.place, s.contest, s.category, s.video, s.name, s.license,
	s.status, s.reason, s.status_at, coalesce(c.version, ''), coalesce(k.email, ''), k.network,
	(SELECT count(*) FROM submission_media m WHERE m.receipt = s.receipt)
	FROM submissions s LEFT JOIN submission_consents c ON c.receipt = s.receipt LEFT JOIN submission_contacts k ON k.receipt = s.receipt`

func scanSubmission(row pgx.Row) (vote.Submission, error) {
	var sub vote.Submission
	var n int64
	err := row.Scan(&sub.Receipt, &sub.At, &sub.Lang, &sub.Kind, &sub.Title, &sub.Body, &sub.Place, &sub.Contest, &sub.Category,
		&sub.Video, &sub.Name, &sub.License, &sub.Status, &sub.Reason, &sub.StatusAt, &sub.Consent, &sub.Email, &sub.Network, &n)
	sub.At, sub.StatusAt, sub.MediaCount = sub.At.UTC(), sub.StatusAt.UTC(), int(n)
	return sub, err
}

// Submissions implements vote.SubmissionStore.
func (s *Store) Submissions(ctx context.Context, status string) ([]vote.Submission, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+submissionColumns+` WHERE $1 = '' OR s.status = $1 ORDER BY s.at, s.receipt`, status)
	if err != nil {
		return nil, fmt.Errorf("postgres store: submissions: %w", err)
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
	sub, err := scanSubmission(s.pool.QueryRow(ctx, `SELECT `+submissionColumns+` WHERE s.receipt = $1`, receipt))
	if errors.Is(err, pgx.ErrNoRows) {
		return sub, vote.Errorf(vote.NotFound, "no submission %q", receipt)
	}
	if err != nil {
		return sub, fmt.Errorf("postgres store: submission: %w", err)
	}
	rows, err := s.pool.Query(ctx, `SELECT idx, format, alt, caption, data FROM submission_media WHERE receipt = $1 ORDER BY idx`, receipt)
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
	tag, err := s.pool.Exec(ctx, `UPDATE submissions SET status = $1, reason = $2, status_at = $3 WHERE receipt = $4`, status, reason, t, receipt)
	if err != nil {
		return fmt.Errorf("postgres store: set status: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return vote.Errorf(vote.NotFound, "no submission %q", receipt)
	}
	return nil
}

// Forget implements vote.SubmissionStore.
func (s *Store) Forget(ctx context.Context, receipt string) (bool, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM submissions WHERE receipt = $1`, receipt) // media, consent and contact cascade
	if err != nil {
		return false, fmt.Errorf("postgres store: forget: %w", err)
	}
	return tag.RowsAffected() > 0, nil
}

// Purge implements vote.SubmissionStore.
func (s *Store) Purge(ctx context.Context, before time.Time) (vote.PurgeReport, error) {
	var r vote.PurgeReport
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		count := func(dst *int, query string) error {
			tag, err := tx.Exec(ctx, query, before)
			*dst = int(tag.RowsAffected())
			return err
		}
		if err := count(&r.Contacts, `DELETE FROM submission_contacts WHERE at < $1`); err != nil {
			return err
		}
		if err := count(&r.Media, `DELETE FROM submission_media WHERE receipt IN
			(SELECT receipt FROM submissions WHERE status IN ('pulled', 'rejected') AND status_at < $1)`); err != nil {
			return err
		}
		if err := count(&r.Forms, `DELETE FROM submission_forms WHERE expires < $1`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM submission_networks WHERE day < ($1::timestamptz AT TIME ZONE 'UTC')::date`, before)
		return err
	})
	if err != nil {
		return r, fmt.Errorf("postgres store: purge: %w", err)
	}
	return r, nil
}

// SaveForm implements vote.SubmissionStore.
func (s *Store) SaveForm(ctx context.Context, token string, data []byte, expires time.Time) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO submission_forms (token, data, expires) VALUES ($1, $2, $3)`, token, data, expires)
	return err
}

// GetForm implements vote.SubmissionStore.
func (s *Store) GetForm(ctx context.Context, token string, now time.Time) ([]byte, error) {
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM submission_forms WHERE token = $1 AND expires > $2`, token, now).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, vote.Errorf(vote.NotFound, "this form has expired")
	}
	return data, err
}

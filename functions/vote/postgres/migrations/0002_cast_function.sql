-- postcard_cast records one vote in one round trip, with the rules of
-- vote.Store.Cast: it takes the voter's ballot row, then the entry's tally
-- row, then inserts the vote, and raises an exception (which rolls back the
-- whole statement) when the voter has no votes left (PCV01) or already voted
-- for the entry or used the idempotency key (PCV02). It returns the entry's
-- count including the vote.
CREATE FUNCTION postcard_cast(p_contest text, p_voter text, p_entry text, p_key text, p_per_voter integer, p_at timestamptz)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
	n integer;
BEGIN
	INSERT INTO ballots (contest, voter, used) VALUES (p_contest, p_voter, 1)
		ON CONFLICT (contest, voter) DO UPDATE SET used = ballots.used + 1 WHERE ballots.used < p_per_voter
		RETURNING used INTO n;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no votes left' USING ERRCODE = 'PCV01';
	END IF;
	INSERT INTO tallies (contest, entry, votes) VALUES (p_contest, p_entry, 1)
		ON CONFLICT (contest, entry) DO UPDATE SET votes = tallies.votes + 1
		RETURNING votes INTO n;
	INSERT INTO votes (contest, voter, entry, idem_key, votes_after, cast_at)
		VALUES (p_contest, p_voter, p_entry, p_key, n, p_at)
		ON CONFLICT DO NOTHING;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'duplicate vote' USING ERRCODE = 'PCV02';
	END IF;
	RETURN n;
END
$$;

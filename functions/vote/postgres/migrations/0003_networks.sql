-- Each vote keeps the key of the network it came from (an HMAC of the
-- network prefix and the UTC day, never an address), for the audit of
-- bursts, and the nonce of the proof-of-work challenge it was cast with,
-- which buys one vote only.
ALTER TABLE votes ADD COLUMN network bytea, ADD COLUMN proof bytea;
CREATE UNIQUE INDEX votes_proof ON votes (proof) WHERE proof IS NOT NULL;

-- How many votes a network gave a contest on a UTC day; the conditional
-- upsert on it (which locks the row) enforces network_quota.
CREATE TABLE network_votes (
	contest text    NOT NULL,
	network bytea   NOT NULL,
	day     date    NOT NULL,
	used    integer NOT NULL CHECK (used >= 1),
	PRIMARY KEY (contest, network, day)
);

-- postcard_cast with the network quota and the proof of work. It refuses a
-- used proof (PCV04) before taking any lock, then takes the voter's ballot
-- row, the network's row for the day (PCV03 over quota), the entry's tally
-- row and the vote's keys, in that order, as the first version did without
-- the network. A proof used by a concurrent vote surfaces as a
-- unique_violation on votes_proof. The first version stays, so that
-- instances of an older release keep working during a deploy.
CREATE FUNCTION postcard_cast(p_contest text, p_voter text, p_entry text, p_key text, p_per_voter integer, p_at timestamptz,
	p_network bytea, p_quota integer, p_proof bytea)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
	n integer;
BEGIN
	IF p_proof IS NOT NULL AND EXISTS (SELECT 1 FROM votes WHERE proof = p_proof) THEN
		RAISE EXCEPTION 'proof already used' USING ERRCODE = 'PCV04';
	END IF;
	INSERT INTO ballots (contest, voter, used) VALUES (p_contest, p_voter, 1)
		ON CONFLICT (contest, voter) DO UPDATE SET used = ballots.used + 1 WHERE ballots.used < p_per_voter
		RETURNING used INTO n;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no votes left' USING ERRCODE = 'PCV01';
	END IF;
	IF p_quota > 0 THEN
		INSERT INTO network_votes (contest, network, day, used)
			VALUES (p_contest, coalesce(p_network, ''::bytea), (p_at AT TIME ZONE 'UTC')::date, 1)
			ON CONFLICT (contest, network, day) DO UPDATE SET used = network_votes.used + 1 WHERE network_votes.used < p_quota
			RETURNING used INTO n;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'network quota' USING ERRCODE = 'PCV03';
		END IF;
	END IF;
	INSERT INTO tallies (contest, entry, votes) VALUES (p_contest, p_entry, 1)
		ON CONFLICT (contest, entry) DO UPDATE SET votes = tallies.votes + 1
		RETURNING votes INTO n;
	INSERT INTO votes (contest, voter, entry, idem_key, votes_after, cast_at, network, proof)
		VALUES (p_contest, p_voter, p_entry, p_key, n, p_at, p_network, p_proof)
		ON CONFLICT (contest, voter, entry) DO NOTHING;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'duplicate vote' USING ERRCODE = 'PCV02';
	END IF;
	RETURN n;
END
$$;

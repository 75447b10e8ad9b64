-- Each vote keeps the key of the network it came from (an HMAC of the
-- network prefix and the UTC day, never an address), for the audit of
-- bursts, and the nonce of the proof-of-work challenge it was cast with,
-- which buys one vote only.
ALTER TABLE votes ADD COLUMN network BLOB;
ALTER TABLE votes ADD COLUMN proof BLOB;
CREATE UNIQUE INDEX votes_proof ON votes (proof) WHERE proof IS NOT NULL;

-- How many votes a network gave a contest on a UTC day (days since the
-- Unix epoch); the conditional upsert on it enforces network_quota.
CREATE TABLE network_votes (
	contest TEXT    NOT NULL,
	network BLOB    NOT NULL,
	day     INTEGER NOT NULL,
	used    INTEGER NOT NULL CHECK (used >= 1),
	PRIMARY KEY (contest, network, day)
) WITHOUT ROWID;

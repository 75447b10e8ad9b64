-- One row per vote. The primary key allows one vote per voter and entry.
-- votes_after is the entry's count right after the vote, kept for replies to
-- retries with the same idempotency key.
CREATE TABLE votes (
	contest     TEXT    NOT NULL,
	voter       TEXT    NOT NULL,
	entry       TEXT    NOT NULL,
	idem_key    TEXT,
	votes_after INTEGER NOT NULL,
	cast_at     INTEGER NOT NULL, -- Unix microseconds
	PRIMARY KEY (contest, voter, entry)
) WITHOUT ROWID;

-- An idempotency key names one vote of a voter.
CREATE UNIQUE INDEX votes_idem_key ON votes (voter, idem_key) WHERE idem_key IS NOT NULL;

-- How many votes a voter has used in a contest; the conditional upsert on it
-- enforces votes_per_voter.
CREATE TABLE ballots (
	contest TEXT    NOT NULL,
	voter   TEXT    NOT NULL,
	used    INTEGER NOT NULL CHECK (used >= 1),
	PRIMARY KEY (contest, voter)
) WITHOUT ROWID;

-- The running count of each entry, kept in the same transaction as votes.
CREATE TABLE tallies (
	contest TEXT    NOT NULL,
	entry   TEXT    NOT NULL,
	votes   INTEGER NOT NULL CHECK (votes >= 0),
	PRIMARY KEY (contest, entry)
) WITHOUT ROWID;

-- One-time activation links of external accounts (R3.4, R6.4): the token is
-- never stored, only its SHA-256 (hex). A link is used once (used_at), ends
-- at expires_at, and is revoked when a newer one is issued for the user.
CREATE TABLE account_activations (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id BIGINT NOT NULL REFERENCES users(id),
	token_hash CHAR(64) NOT NULL UNIQUE,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at BIGINT NULL,
	revoked_at BIGINT NULL
);
CREATE INDEX account_activations_user ON account_activations (user_id, used_at, revoked_at);

-- One-time activation links of external accounts (R3.4, R6.4): the token is
-- never stored, only its SHA-256 (hex). A link is used once (used_at), ends
-- at expires_at, and is revoked when a newer one is issued for the user.
CREATE TABLE account_activations (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	user_id BIGINT NOT NULL,
	token_hash CHAR(64) NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at BIGINT NULL,
	revoked_at BIGINT NULL,
	UNIQUE KEY account_activations_token (token_hash),
	KEY account_activations_user (user_id, used_at, revoked_at),
	CONSTRAINT account_activations_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

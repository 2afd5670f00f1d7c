-- Personal settings (R7.3): one pending verification code per user and
-- channel for binding an email address or a mobile number. Only the
-- SHA-256 of the code (salted with the user id) is stored; a new request
-- replaces the pending one. verification_requests counts the requests of
-- the last hour for the rate limit.
CREATE TABLE verification_codes (
	user_id BIGINT NOT NULL REFERENCES users(id),
	channel VARCHAR(16) NOT NULL CHECK (channel IN ('email', 'mobile')),
	value VARCHAR(254) NOT NULL,
	code_hash CHAR(64) NOT NULL,
	expires_at BIGINT NOT NULL,
	attempts_left INTEGER NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (user_id, channel)
);
CREATE TABLE verification_requests (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id BIGINT NOT NULL REFERENCES users(id),
	created_at BIGINT NOT NULL
);
CREATE INDEX verification_requests_user ON verification_requests (user_id, created_at);

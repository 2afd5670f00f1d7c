-- Personal settings (R7.3): one pending verification code per user and
-- channel for binding an email address or a mobile number. Only the
-- SHA-256 of the code (salted with the user id) is stored; a new request
-- replaces the pending one. verification_requests counts the requests of
-- the last hour for the rate limit.
CREATE TABLE verification_codes (
	user_id BIGINT NOT NULL,
	channel VARCHAR(16) NOT NULL,
	value VARCHAR(254) NOT NULL,
	code_hash CHAR(64) NOT NULL,
	expires_at BIGINT NOT NULL,
	attempts_left INTEGER NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (user_id, channel),
	CONSTRAINT verification_codes_channel_chk CHECK (channel IN ('email', 'mobile')),
	CONSTRAINT verification_codes_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE verification_requests (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	user_id BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	KEY verification_requests_user (user_id, created_at),
	CONSTRAINT verification_requests_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

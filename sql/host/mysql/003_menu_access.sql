-- Back-office overrides of what plugins registered for their menu items
-- (R7.2): per org, whether an item is open to external users and the
-- minimum security level a user needs to see it (and to call the plugin's
-- external routes). NULL means "as the plugin registered it". Levels run
-- from -999 (the lowest an external user can hold) to 1000; external users
-- are at or below 0, members at or above 0.
CREATE TABLE menu_access (
	org_id BIGINT NOT NULL,
	plugin_id VARCHAR(64) NOT NULL,
	menu_id VARCHAR(128) NOT NULL,
	open_to_external INTEGER NULL,
	min_security_level INTEGER NULL,
	PRIMARY KEY (org_id, plugin_id, menu_id),
	CONSTRAINT menu_access_open_chk CHECK (open_to_external IN (0, 1)),
	CONSTRAINT menu_access_level_chk CHECK (min_security_level BETWEEN -999 AND 1000),
	CONSTRAINT menu_access_org_fk FOREIGN KEY (org_id) REFERENCES orgs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

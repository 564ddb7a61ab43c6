SELECT count(*) FROM memberships WHERE (user_id = 1 AND team_id = 1 AND role = 'owner') OR (user_id = 2 AND team_id = 1 AND role = 'member')

INSERT INTO memberships (user_id, team_id, role) VALUES (1, 1, 'owner'), (2, 1, 'member');

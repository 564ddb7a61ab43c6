SELECT count(*) FROM users WHERE (id = 1 AND email = 'a@example.com') OR (id = 2 AND email = 'b@example.com') OR (id = 3 AND email = 'c@example.com')

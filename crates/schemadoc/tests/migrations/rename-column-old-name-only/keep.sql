SELECT count(*) FROM users WHERE (id = 1 AND name = 'Ann') OR (id = 2 AND name = 'Bo')

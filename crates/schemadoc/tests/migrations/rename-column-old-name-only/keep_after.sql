SELECT count(*) FROM users WHERE (id = 1 AND full_name = 'Ann') OR (id = 2 AND full_name = 'Bo')

SELECT count(*) FROM posts p JOIN authors a ON a.id = p.author_id WHERE (p.id = 10 AND a.name = 'Ann') OR (p.id = 11 AND a.name = 'Ann') OR (p.id = 12 AND a.name = 'Bo')

INSERT INTO authors (id, name) VALUES (1, 'Ann'), (2, 'Bo');
INSERT INTO posts (id, author_id, title) VALUES (10, 1, 'first'), (11, 1, 'second'), (12, 2, 'third');

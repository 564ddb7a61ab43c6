INSERT INTO users (id, name) VALUES (1, 'Ann'), (2, 'Bo');

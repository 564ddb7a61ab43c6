INSERT INTO events (id, title, hits) VALUES (1, 'launch party', 10), (2, 'beta', 20);

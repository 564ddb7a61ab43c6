INSERT INTO users (id, email, nickname) VALUES (1, 'a@example.com', 'ann'), (2, 'b@example.com', NULL), (3, 'c@example.com', 'cy');

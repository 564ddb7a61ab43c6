INSERT INTO jobs (id, status) VALUES (1, 'pending'), (2, 'done');

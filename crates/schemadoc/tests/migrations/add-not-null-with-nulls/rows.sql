INSERT INTO accounts (id, email) VALUES (1, 'a@x.io'), (2, NULL), (3, NULL);

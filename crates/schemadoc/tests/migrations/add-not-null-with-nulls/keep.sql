SELECT count(*) FROM accounts WHERE (id = 1 AND email = 'a@x.io') OR (id IN (2, 3) AND email IS NULL)

SELECT count(*) FROM accounts WHERE (id = 1 AND email = 'a@x.io') OR (id = 2 AND email = 'b@x.io')

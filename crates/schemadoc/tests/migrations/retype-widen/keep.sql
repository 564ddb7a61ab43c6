SELECT count(*) FROM events WHERE (id = 1 AND title = 'launch' AND hits = 10) OR (id = 2 AND title = 'beta' AND hits = 20000)

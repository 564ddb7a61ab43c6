SELECT count(*) FROM jobs WHERE (id = 1 AND status = 'pending') OR (id = 2 AND status = 'done')

INSERT INTO customers (id, name, street, city) VALUES (1, 'Ann', 'Main St 1', 'Seoul'), (2, 'Bo', NULL, 'Busan');

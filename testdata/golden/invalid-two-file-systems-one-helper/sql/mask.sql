UPDATE customers SET email = CONCAT('c', id, '@example.invalid');

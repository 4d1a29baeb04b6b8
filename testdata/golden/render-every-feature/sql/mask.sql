-- Mask personal data before anyone sees the copy.
UPDATE customers SET email = concat(id, '@example.invalid');

-- Replace personal data before anyone outside production sees the copy.
UPDATE users
   SET email = CONCAT('user', id, '@example.invalid'),
       phone = NULL;

UPDATE orders SET card_last4 = '0000';

UPDATE customers SET email = NULL;

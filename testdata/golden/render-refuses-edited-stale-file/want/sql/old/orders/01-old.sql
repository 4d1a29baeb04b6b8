SELECT 1;
-- edited

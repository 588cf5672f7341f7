// Trigger of table 1 (Contact)

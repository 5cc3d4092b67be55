"""What each form holds of the ledger, both ways: the data a form prints from the state of
an object, a task or an evaluation, and the domain values a filled form stands for."""

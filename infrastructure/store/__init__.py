"""The ledger's event store: the library's SQLite and PostgreSQL recorders, extended so a
command's events, their integrity links and a signed tree head commit in one transaction,
with several commands' writes grouped into one commit under load."""

"""Official working days (法定工作日) and the holiday tables they come from."""

from infrastructure.cli.commands import app

app()

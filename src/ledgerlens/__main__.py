from ledgerlens.cli import app

app(prog_name="ledgerlens")

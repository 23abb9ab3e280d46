from golmud_cli.entry import run

run()

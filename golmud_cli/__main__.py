from golmud_cli.cli import main

main()

from golmud_cli.entry import main

main()

from tilfreds.cli import main

main()

from lrm_cli.cli.entry import main

main()

from lrm_cli.cli.app import main

main()

from campctl.main import main

main()

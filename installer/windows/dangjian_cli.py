"""dangjian-cli(.exe): the command line of the frozen build (dangjian is the window, without a console)."""

import sys

from registry.cli.main import main

if __name__ == "__main__":
    sys.exit(main())

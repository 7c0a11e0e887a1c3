import sys

from rightsgraph.cli import main

sys.exit(main())

"""``python -m scoring``: the published name of the command line, kept for its users.

The command line itself lives in :mod:`cli`, above the engine; this module only starts it.
"""

import sys

from cli.main import main

sys.exit(main())

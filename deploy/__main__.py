"""``python -m deploy --processes N --port P``: see ``deploy.launcher``."""

import sys

from deploy.launcher import main

sys.exit(main())

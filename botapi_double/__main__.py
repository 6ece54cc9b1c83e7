"""`python -m botapi_double serve`: the Bot API double alone (botapi_double/standalone.py)."""

import sys

from botapi_double.standalone import main

if __name__ == "__main__":
    sys.exit(main())

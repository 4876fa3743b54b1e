"`python -m timfusion ...` runs the command line (see nbs/31_cli.ipynb)."
import sys
from timfusion.cli import main

if __name__ == '__main__': sys.exit(main())

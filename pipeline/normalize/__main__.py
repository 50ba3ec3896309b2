"""``python -m pipeline.normalize TEXT...``, as before the module became a package."""
import sys

from .cli import run_cli

sys.exit(run_cli(sys.argv[1:]))

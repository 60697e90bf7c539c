"""`python -m starcoach` works like the `starcoach` command."""

from .cli import main

main()

"""`python -m ledgerlens`; guarded so worker processes started with `spawn` do not rerun the CLI."""

from ledgerlens.cli import main

if __name__ == "__main__":
    main()

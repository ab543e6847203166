"""`python -m lint_wb`."""

from lint_wb.cli.main import main

if __name__ == "__main__":
    main()

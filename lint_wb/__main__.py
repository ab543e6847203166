"""`python -m lint_wb`."""

from lint_wb.cli.console import console_main

if __name__ == "__main__":
    console_main()

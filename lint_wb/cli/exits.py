"""The exit codes: 0 nothing left to report; 1 findings remain (or, with
--exit-non-zero-on-fix, something was fixed); 2 usage, configuration or internal error, or a
path that could not be checked. Apart from the reporters, so the command line can name them
without loading those."""

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130
"""As a shell reports a command stopped by SIGINT."""

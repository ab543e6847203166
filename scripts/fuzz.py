"""A long run of the property test in tests/test_fuzz.py: `python scripts/fuzz.py [EXAMPLES]`.

CI runs a few examples; this runs many (default 2000) with the same property: no crash, fixes
that parse, and a second fix that changes nothing. Hypothesis prints the smallest failing
module it finds.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    os.environ["LINT_WB_FUZZ_EXAMPLES"] = argv[0] if argv else "2000"
    return int(pytest.main(["-q", "-p", "no:cacheprovider", str(ROOT / "tests" / "test_fuzz.py")]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

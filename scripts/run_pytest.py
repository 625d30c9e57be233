"""Run pytest and count "no test collected" (exit code 5) as a failure, with a clear message.

A suite that suddenly collects nothing (a wrong path, a conftest that skips everything, a
renamed folder) must not pass silently in ``make test`` or CI. Usage is that of
``python -m pytest``: ``python scripts/run_pytest.py tests/unit -p no:qgis -q``.
"""

import subprocess
import sys

NO_TESTS_COLLECTED = 5


def main(argv):
    status = subprocess.call([sys.executable, "-m", "pytest", *argv])
    if status == NO_TESTS_COLLECTED:
        paths = " ".join(a for a in argv if not a.startswith("-")) or "."
        print(f"run_pytest: no test was collected in {paths}: counted as a failure.")
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

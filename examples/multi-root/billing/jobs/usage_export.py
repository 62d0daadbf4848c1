"""Exports compute-minute usage per namespace for invoicing.

Mapped to consumables_cost_management by the path rule in .budgetlens.yml (jobs/**).
"""
import json
import sys


def main() -> int:
    for line in sys.stdin:
        usage = json.loads(line)
        print(f"{usage['namespace']}\t{usage['minutes']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Exports CI pipeline durations to Prometheus' textfile collector.

Mapped to continuous_integration by the path rule in .budgetlens.yml (scripts/pipeline_metrics/**).
"""
import json
import sys
from pathlib import Path


def pipeline_durations(events_path: Path) -> dict[str, float]:
    durations: dict[str, float] = {}
    with events_path.open() as events:
        for line in events:
            event = json.loads(line)
            if event.get("status") in ("success", "failed"):
                durations[event["ref"]] = durations.get(event["ref"], 0.0) + float(event["duration_s"])
    return durations


def main() -> int:
    for ref, seconds in sorted(pipeline_durations(Path(sys.argv[1])).items()):
        print(f'ci_pipeline_duration_seconds_total{{ref="{ref}"}} {seconds}')
    return 0


if __name__ == "__main__":
    sys.exit(main())

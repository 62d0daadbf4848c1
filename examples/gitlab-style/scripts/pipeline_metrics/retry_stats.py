# @feature_category code_testing
"""Counts job retries per stage; annotated as code_testing, which beats the directory's path rule."""
from collections import Counter


def retries_by_stage(jobs: list[dict]) -> Counter:
    return Counter(job["stage"] for job in jobs if job.get("retried"))

"""Domain events that HR systems can subscribe to through webhooks."""

PILOT_STARTED = "pilot.started"
PILOT_ENDED = "pilot.ended"
BASELINE_FROZEN = "baseline.frozen"
BASELINE_REBASELINED = "baseline.rebaselined"
EVENTS = [PILOT_STARTED, PILOT_ENDED, BASELINE_FROZEN, BASELINE_REBASELINED]


def publish_event(event: str, **ids) -> None:
    """Record `event` about the objects named by `ids` (primary keys) for webhook delivery,
    inside the caller's transaction. Placeholder until webhooks land: records nothing."""

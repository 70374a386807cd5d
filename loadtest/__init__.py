"""Load test: scenario, preparation and the runner script."""

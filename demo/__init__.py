"""The demo organisation (`manage.py seed_demo`): one step module per app's data, run in the
order of demo.steps.DEMO_STEPS. No app imports this package; it only writes through them."""

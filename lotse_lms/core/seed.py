"""Demo data: each area registers a seeder; ``lotse-lms seed-demo`` runs them in order."""


def register_seeder(app, seeder, order=100):
    """Add a callable(app, echo) that creates the area's demo data (idempotently)."""
    app.extensions.setdefault("lotse_seeders", []).append((order, seeder))


def run_seeders(app, echo):
    """Run every registered seeder in order."""
    for _order, seeder in sorted(app.extensions.get("lotse_seeders", []), key=lambda s: s[0]):
        seeder(app, echo)

"""The area packages ``create_app`` loads, in order; each has ``init_app(app)``."""

AREAS = [
    "lotse_lms.core",
    "lotse_lms.qualification",
    "lotse_lms.accounts",
    "lotse_lms.agenda",
    "lotse_lms.cohorts",
    "lotse_lms.reflecting_team",
    "lotse_lms.mentoring",
    "lotse_lms.modules.q1",
    "lotse_lms.modules.q2",
    "lotse_lms.certification",
    "lotse_lms.community",
    "lotse_lms.rooms",
    "lotse_lms.privacy",
]

"""lotse_lms: the learning platform of the OM-Lotse qualification.

Importing the package loads no web framework, so that plain-Python parts (the SCORM
engine, the Open edX blocks) can be used without Flask.
"""


def create_app(test_config=None, instance_path=None, environ=None):
    """Create the Flask application (see ``lotse_lms.app.create_app``)."""
    from .app import create_app as _create_app  # loads Flask only when an app is made

    return _create_app(test_config, instance_path, environ)

"""Form helpers shared by the areas."""

from wtforms import SelectChoice


def choices(pairs):
    """Turn (value, label) pairs into WTForms select choices."""
    return [SelectChoice(str(value), label) for value, label in pairs]

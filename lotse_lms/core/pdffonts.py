"""The Unicode TrueType font of every PDF the platform writes (certificate, portfolio).

DejaVu Sans (Bitstream Vera licence, see ``fonts/LICENSE-DejaVu.txt``) ships with the package,
so no system font is needed at run time; reportlab embeds the glyphs a document uses as a
subset. Unlike the base-14 Helvetica it covers Latin Extended-A (ş, Ł, ę, ő, č, ğ, ń, ř, ž …),
so names print as they are written.
"""

from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_DIR = Path(__file__).resolve().parent / "fonts"
SANS = "LotseSans"
BOLD = "LotseSans-Bold"
ITALIC = "LotseSans-Italic"
BOLD_ITALIC = "LotseSans-BoldItalic"
MONO = "LotseMono"
_FILES = {
    SANS: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    MONO: "DejaVuSansMono.ttf",
}

# Binary (Flate only) streams instead of ASCII85 on top: smaller files, and ASCII85 is the
# slowest step of writing an image in reportlab's pure-Python encoder.
rl_config.useA85 = 0


def register():
    """Register the family with reportlab once per process; return the regular font's name."""
    if SANS not in pdfmetrics.getRegisteredFontNames():
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
        pdfmetrics.registerFontFamily(
            SANS, normal=SANS, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        pdfmetrics.registerFontFamily(MONO, normal=MONO, bold=MONO, italic=MONO, boldItalic=MONO)
    return SANS


class Canvas(canvas.Canvas):
    """A reportlab canvas whose initial font is DejaVu Sans, so no page refers to a base-14
    font that is not embedded (reportlab's default initial font is Helvetica)."""

    def __init__(self, *args, **kwargs):
        kwargs["initialFontName"] = kwargs.get("initialFontName") or register()
        super().__init__(*args, **kwargs)

"""Every colour, font and size the scenes use. Change the look of the lecture here."""
from __future__ import annotations

# Palette: dark background, one colour per role, the same role the same colour in every scene.
BACKGROUND = "#101319"
TEXT = "#E8E6E3"
MUTED = "#8B93A1"
DATA = "#F2C14E"        # the lesson's data points
FIT = "#4FB0C6"         # the model being trained (line, sigmoid curve, path)
LOSS = "#E4572E"        # loss curves and loss readouts
REFERENCE = "#8BD17C"   # closed-form or reference results (least squares, best line)
DERIVATIVE = "#C792EA"  # derivative graphs and gradient arrows
POSITIVE = "#4FB0C6"
NEGATIVE = "#E4572E"
HIGHLIGHT = "#FFD866"   # the code line or chain factor being talked about
PANEL = "#1B2029"       # backgrounds of boxes and tables
GRID = "#3A4150"        # axes
CONTOUR = "#6A7893"     # contour lines of loss landscapes

# Fonts. Chinese text needs Noto Sans CJK SC (Debian: fonts-noto-cjk); it also covers Latin.
FONT = "Noto Sans CJK SC"
MONO = "DejaVu Sans Mono"
MATH_SYMBOLS = "∂−∇"  # drawn full-width by the CJK font: set in MATH_SYMBOL_FONT
MATH_SYMBOL_FONT = "DejaVu Sans"
CODE_STYLE = "monokai"

# Font sizes (Manim font_size units; 48 is Manim's default).
TITLE_SIZE = 40
BODY_SIZE = 28
SMALL_SIZE = 22
LABEL_SIZE = 20
CODE_SIZE = 20
TEX_SIZE = 34

# Layout.
# Everything stays inside the safe area: 5% of the frame's width (0.71) and height (0.4) from
# each edge (the layout check in tests/layout.py holds every part to it at every beat).
EDGE = 0.75             # margin from the left and right edges
EDGE_Y = 0.45           # margin from the top and bottom edges
TITLE_BUFF = 0.45       # gap between the title and the top edge
STROKE = 4              # stroke width of fitted curves
DOT_RADIUS = 0.07

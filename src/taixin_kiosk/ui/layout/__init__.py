"""The slide layout engine: a slide and a stage size in, positioned items out.

Layout is computed, not left to widget layouts, so the same numbers drive the
screen, the PNG/PDF export and the text-fit tests. Every text box is sized to
its measured text; where a group of boxes does not fit its region at the type
scale, the whole group shrinks together (down to ``MIN_SHRINK``) so sizes stay
consistent across cards and points. A box that still does not fit is marked
``fits=False``; tests fail on it.

The modules, each importing only those above it:

- ``items``: the records a layout is made of (text boxes, decoration, the layout).
- ``text``: measuring and wrapping text, lines evened out, CJK line breaks.
- ``media``: where the pictures go, and how large they are decoded.
- ``balance``: vertical balance, the free height under a header shared by
  gaps (each at most a share of the stage) and blocks that may stretch.
- ``builder``: the Builder, with what every slide type shares (fonts, text
  blocks, shrinking a group to fit, arrangements for large text, the header,
  point lists, panels).
- ``cover``, ``quote``, ``cards``, ``chart``, ``map_labels``, ``map``: one
  slide type each (``map_labels`` places the labels on a map's drawing).
- ``build``: which function lays out each slide type, and ``build_layout``,
  with large text's search for the largest size that fits.
"""

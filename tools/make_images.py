"""Draw the deck's illustrations with Pillow: no web images, no fonts, no text.

Writes, under ``assets/images/``:

* ``cover.png``    2400x1600 RGBA, the cover slide's background illustration
  (hills, river, expressway and railway going north, an industrial park, soft
  light); its left part fades to transparent so the slide's own navy
  background shows behind the title text.
* ``emblem.png``   512x512 RGBA, the deck's round emblem on a transparent field.
* ``app-icon.png`` 256x256 RGBA, the emblem on a navy rounded square.

The output is deterministic: every "random" shape comes from
``random.Random`` with a fixed seed, there is no time or environment input,
and PNGs are written without timestamps, so two runs give byte-identical
files.  Run from anywhere::

    python tools/make_images.py            # writes into assets/images/
    python tools/make_images.py --out DIR  # writes somewhere else
"""

from __future__ import annotations

import argparse
import math
import random
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "assets" / "images"

# Palette (sRGB, 0-255).
NAVY = (0x0E, 0x2A, 0x47)
NAVY_2 = (0x14, 0x3A, 0x63)
BLUE = (0x1F, 0x4E, 0x79)
BLUE_2 = (0x2E, 0x6D, 0xA4)
TEAL = (0x3F, 0xB8, 0xAF)
GOLD = (0xE0, 0xB5, 0x52)
WHITE = (0xFF, 0xFF, 0xFF)

Color = tuple[int, int, int]
Point = tuple[float, float]


def mix(a: Color, b: Color, t: float) -> Color:
    """Linear blend of two colours, ``t`` = 0 gives ``a``."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def smoothstep(e0: float, e1: float, x: np.ndarray) -> np.ndarray:
    t = np.clip((x - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


# ---------------------------------------------------------------------------
# A small premultiplied-alpha float canvas.
# ---------------------------------------------------------------------------


class Canvas:
    """A float32 premultiplied RGBA canvas drawn at ``scale`` x the output size.

    Coordinates given to the drawing helpers are in *output* pixels; the
    canvas multiplies them by ``scale``.  Shape masks are rasterised at a
    further ``oversample`` x and box-reduced, so edges are anti-aliased before
    the final LANCZOS downsample.
    """

    def __init__(self, width: int, height: int, scale: int = 2, oversample: int = 2) -> None:
        self.out_w, self.out_h = width, height
        self.s = scale
        self.o = oversample
        self.w, self.h = width * scale, height * scale
        self.rgb = np.zeros((self.h, self.w, 3), np.float32)
        self.a = np.zeros((self.h, self.w), np.float32)
        ys = (np.arange(self.h, dtype=np.float32) + 0.5) / scale
        xs = (np.arange(self.w, dtype=np.float32) + 0.5) / scale
        self.ys = ys[:, None]  # output-pixel coordinates of each canvas row
        self.xs = xs[None, :]

    # -- masks ---------------------------------------------------------------

    def _mask(self, draw_fn: Callable[[ImageDraw.ImageDraw, float], None]) -> np.ndarray:
        k = self.s * self.o
        im = Image.new("L", (self.w * self.o, self.h * self.o), 0)
        draw_fn(ImageDraw.Draw(im), k)
        if self.o > 1:
            im = im.reduce(self.o)
        return np.asarray(im, dtype=np.float32) / 255.0

    def poly_mask(self, pts: Sequence[Point]) -> np.ndarray:
        def fn(d: ImageDraw.ImageDraw, k: float) -> None:
            d.polygon([(x * k, y * k) for x, y in pts], fill=255)

        return self._mask(fn)

    def polys_mask(self, polys: Sequence[Sequence[Point]]) -> np.ndarray:
        def fn(d: ImageDraw.ImageDraw, k: float) -> None:
            for pts in polys:
                d.polygon([(x * k, y * k) for x, y in pts], fill=255)

        return self._mask(fn)

    def line_mask(self, pts: Sequence[Point], width: float) -> np.ndarray:
        def fn(d: ImageDraw.ImageDraw, k: float) -> None:
            d.line(
                [(x * k, y * k) for x, y in pts],
                fill=255,
                width=max(1, round(width * k)),
                joint="curve",
            )

        return self._mask(fn)

    def ellipse_mask(self, cx: float, cy: float, rx: float, ry: float) -> np.ndarray:
        def fn(d: ImageDraw.ImageDraw, k: float) -> None:
            d.ellipse([(cx - rx) * k, (cy - ry) * k, (cx + rx) * k, (cy + ry) * k], fill=255)

        return self._mask(fn)

    def layer(
        self, draw_fn: Callable[[ImageDraw.ImageDraw, float], None], alpha: float = 1.0
    ) -> None:
        """Paint opaque shapes in order on a transparent RGBA layer and composite it.

        Much cheaper than one mask per shape when many flat-coloured polygons
        overlap in painter's order (the industrial-park blocks).
        """
        k = self.s * self.o
        im = Image.new("RGBA", (self.w * self.o, self.h * self.o), (0, 0, 0, 0))
        draw_fn(ImageDraw.Draw(im), k)
        im = im.convert("RGBa")  # premultiply before averaging
        if self.o > 1:
            im = im.reduce(self.o)
        arr = np.asarray(im, dtype=np.float32) / 255.0
        a = arr[..., 3] * alpha
        inv = 1.0 - a
        self.rgb *= inv[..., None]
        self.rgb += arr[..., :3] * alpha
        self.a *= inv
        self.a += a

    def blur(self, mask: np.ndarray, radius: float) -> np.ndarray:
        """Approximate Gaussian blur of a mask (three box passes); ``radius`` in output px."""
        sigma = radius * self.s
        # Box width whose three-fold convolution matches the Gaussian's variance.
        r = max(1, round((math.sqrt(12.0 * sigma * sigma / 3.0 + 1.0) - 1.0) / 2.0))
        out = mask.astype(np.float32)
        for axis in (0, 1):
            for _ in range(3):
                out = box_1d(out, r, axis)
        return out

    # -- compositing -----------------------------------------------------------

    def over(
        self, mask: np.ndarray, color: Color | np.ndarray, alpha: float | np.ndarray = 1.0
    ) -> None:
        """Composite ``color`` through ``mask`` * ``alpha`` (source-over)."""
        a = mask * alpha
        a = np.broadcast_to(a, (self.h, self.w)).astype(np.float32)
        col = np.asarray(color, np.float32) / 255.0 if isinstance(color, tuple) else color
        inv = 1.0 - a
        self.rgb *= inv[..., None]
        self.rgb += col * a[..., None]
        self.a *= inv
        self.a += a

    def add(self, mask: np.ndarray, color: Color, alpha: float = 1.0) -> None:
        """Additive light (screen-like glow) that also raises coverage."""
        a = np.broadcast_to(mask * alpha, (self.h, self.w)).astype(np.float32)
        col = np.asarray(color, np.float32) / 255.0
        self.rgb += col * a[..., None]
        np.minimum(self.rgb, self.a[..., None] + a[..., None], out=self.rgb)
        self.a = np.minimum(1.0, self.a + a * (1.0 - self.a))
        np.minimum(self.rgb, self.a[..., None], out=self.rgb)

    def multiply_alpha(self, factor: np.ndarray) -> None:
        f = np.broadcast_to(factor, (self.h, self.w)).astype(np.float32)
        self.rgb *= f[..., None]
        self.a *= f

    # -- output ----------------------------------------------------------------

    def to_image(self, dither: bool = True) -> Image.Image:
        """LANCZOS-downsample the premultiplied planes, unpremultiply, quantise."""
        size = (self.out_w, self.out_h)

        def down(plane: np.ndarray) -> np.ndarray:
            if self.s == 1:
                return plane
            im = Image.fromarray(np.ascontiguousarray(plane, dtype=np.float32), "F")
            return np.asarray(im.resize(size, Image.Resampling.LANCZOS), dtype=np.float32)

        a = np.clip(down(self.a), 0.0, 1.0)
        planes = [np.clip(down(self.rgb[..., i]), 0.0, None) for i in range(3)]
        safe = np.where(a > 1e-6, a, 1.0)
        rgb = np.stack([np.clip(p / safe, 0.0, 1.0) for p in planes], axis=-1)
        out = np.empty((self.out_h, self.out_w, 4), np.float32)
        out[..., :3] = rgb * 255.0
        out[..., 3] = a * 255.0
        if dither:
            # 8x8 ordered dither breaks up banding in the dark gradients and,
            # unlike noise, is the same on every run.  Only colour is dithered,
            # and only where the pixel is mostly opaque: in faint pixels a
            # colour step is invisible anyway, and smooth values keep the PNG small.
            amount = smoothstep(0.25, 0.55, a)
            out[..., :3] += (0.5 + (bayer(self.out_w, self.out_h) - 0.5) * amount)[..., None]
            out[..., 3] += 0.5
        else:
            out += 0.5
        out = np.clip(np.floor(out), 0, 255).astype(np.uint8)
        out[out[..., 3] == 0, :3] = 0
        return Image.fromarray(out, "RGBA")


def box_1d(a: np.ndarray, r: int, axis: int) -> np.ndarray:
    """Mean over a window of 2r+1 along ``axis`` (edges padded with edge values)."""
    pad = [(0, 0)] * a.ndim
    pad[axis] = (r + 1, r)
    c = np.cumsum(np.pad(a, pad, mode="edge"), axis=axis, dtype=np.float64)
    n = a.shape[axis]
    hi = np.take(c, np.arange(2 * r + 1, 2 * r + 1 + n), axis=axis)
    lo = np.take(c, np.arange(0, n), axis=axis)
    return ((hi - lo) / (2 * r + 1)).astype(np.float32)


def bayer(width: int, height: int) -> np.ndarray:
    """An 8x8 Bayer threshold matrix (values in 0..1) tiled to ``height`` x ``width``."""
    m = np.array([[0, 2], [3, 1]], np.float32)
    for _ in range(2):
        m = np.block([[4 * m, 4 * m + 2], [4 * m + 3, 4 * m + 1]])
    m = (m + 0.5) / m.size  # 0..1 thresholds
    reps = (height // m.shape[0] + 1, width // m.shape[1] + 1)
    return np.tile(m, reps)[:height, :width]


# ---------------------------------------------------------------------------
# Deterministic 1-D noise for ridge lines.
# ---------------------------------------------------------------------------


def ridge_profile(
    xs: np.ndarray, seed: int, amp: float, wavelengths: Sequence[float], rough: float = 0.0
) -> np.ndarray:
    """A smooth ridge height (>= 0) along ``xs`` from summed sines + fine detail."""
    rng = random.Random(seed)
    h = np.zeros_like(xs, dtype=np.float64)
    weight = 1.0
    total = 0.0
    for wl in wavelengths:
        phase = rng.uniform(0.0, 2.0 * math.pi)
        h += weight * (0.5 + 0.5 * np.sin(2.0 * math.pi * xs / wl + phase))
        total += weight
        weight *= 0.55
    h /= total
    if rough > 0.0:
        # Fine midpoint-displacement detail for a natural crest line.
        n = 1025
        pts = np.zeros(n)
        step = n - 1
        scale = 1.0
        while step > 1:
            half = step // 2
            for i in range(half, n, step):
                pts[i] = 0.5 * (pts[i - half] + pts[i + half]) + rng.uniform(-1, 1) * scale
            scale *= 0.55
            step = half
        pts -= pts.mean()
        pts /= max(1e-9, np.abs(pts).max())
        u = (xs - xs.min()) / max(1e-9, xs.max() - xs.min()) * (n - 1)
        h += rough * np.interp(u, np.arange(n), pts)
    return h * amp


# ---------------------------------------------------------------------------
# Cover illustration.
# ---------------------------------------------------------------------------

COVER_W, COVER_H = 2400, 1600
HORIZON = 985.0  # y of the horizon (output px)
VP_X = 1640.0  # x of the vanishing point of the northbound corridor
FOCAL = 1000.0  # pinhole focal length (output px)
CAM_H = 10.0  # camera height (world units)


def project(x: float, z: float, y: float = 0.0) -> Point:
    """Ground-plane perspective: world (x lateral, z depth, y up) -> output px."""
    return (VP_X + FOCAL * x / z, HORIZON + FOCAL * (CAM_H - y) / z)


def peaks_profile(
    xs: np.ndarray,
    peaks: Sequence[tuple[float, float, float]],
    seed: int,
    rough: float,
    floor: float = 0.0,
) -> np.ndarray:
    """Ridge height along ``xs``: a soft union of peaks (x0, height, half-width)
    with a little deterministic crest detail."""
    k = 0.035
    acc = np.exp(k * floor) * np.ones_like(xs)
    for x0, h, w in peaks:
        acc = acc + np.exp(k * h / (1.0 + (np.abs(xs - x0) / w) ** 1.7))
    base = np.log(acc) / k
    detail = ridge_profile(xs, seed, 1.0, (260.0, 120.0, 55.0), rough=0.6) - 0.5
    return np.maximum(0.0, base + rough * detail * np.sqrt(np.maximum(base, 0.0) / 300.0))


def vgrad(cv: Canvas, y0: float, y1: float, c0: Color, c1: Color) -> np.ndarray:
    """A vertical colour ramp (rows x 1 x 3, 0..1) from ``c0`` at y0 to ``c1`` at y1."""
    t = np.clip((cv.ys - y0) / max(1e-6, y1 - y0), 0.0, 1.0)[..., None]
    col = (np.asarray(c0, np.float32) * (1.0 - t) + np.asarray(c1, np.float32) * t) / 255.0
    return np.broadcast_to(col, (cv.h, cv.w, 3))



def ground_quads(project, x, half_width, z_start, z_end, length, step):
    """Quads across the ground at ``x`` (road dashes, rail sleepers), one every
    ``step`` from ``z_start`` to ``z_end``, each ``length`` deep, in perspective."""
    quads = []
    zc = z_start
    while zc < z_end:
        quads.append([project(x - half_width, zc), project(x + half_width, zc),
                      project(x + half_width, zc + length), project(x - half_width, zc + length)])
        zc += step
    return quads

def draw_cover() -> Image.Image:
    cv = Canvas(COVER_W, COVER_H, scale=2, oversample=2)
    W, H = COVER_W, COVER_H
    xs, ys = cv.xs, cv.ys
    full = np.ones((cv.h, cv.w), np.float32)

    # --- sky: transparent at the top, a faint blue haze toward the horizon --
    sky_t = smoothstep(120.0, HORIZON, ys)
    cv.over(full, BLUE, 0.50 * sky_t**1.8)

    # Soft light behind the hills, centred above the corridor's vanishing point.
    gx, gy = VP_X - 40.0, HORIZON - 170.0
    d = np.sqrt(((xs - gx) / 1.2) ** 2 + (ys - gy) ** 2)
    cv.add(np.exp(-((d / 760.0) ** 2)), mix(BLUE_2, TEAL, 0.30), 0.26)
    cv.add(np.exp(-((d / 300.0) ** 2)), mix(GOLD, WHITE, 0.30), 0.20)
    band = np.exp(-(((ys - (HORIZON - 60.0)) / 130.0) ** 2)) * np.exp(-(((xs - gx) / 950.0) ** 2))
    cv.add(band, GOLD, 0.08)

    # Fine concentric arcs around the light, only in the sky.
    rr = np.sqrt((xs - gx) ** 2 + (ys - gy) ** 2)
    arc_fade = smoothstep(HORIZON - 60.0, HORIZON - 520.0, ys)
    for i, r in enumerate((360.0, 520.0, 700.0, 900.0)):
        line = np.clip(1.0 - np.abs(rr - r) / 1.0, 0.0, 1.0)
        cv.add(line * arc_fade, GOLD if i == 0 else WHITE, (0.16, 0.085, 0.065, 0.05)[i])

    # --- hills: layered ridges, far (pale, hazy) to near (deep) --------------
    xline = np.linspace(-40.0, W + 40.0, 1600)
    lit = 0.30 + 0.70 * np.exp(-(((xs - gx) / 650.0) ** 2))

    def ridge_layer(
        base: float,
        height: np.ndarray,
        top: Color,
        bottom: Color,
        alpha: float,
        rim_alpha: float,
        mist: float,
    ) -> None:
        crest = base - height
        pts = [(float(x), float(y)) for x, y in zip(xline, crest, strict=True)]
        m = cv.poly_mask([*pts, (W + 40.0, H + 40.0), (-40.0, H + 40.0)])
        cv.over(m, vgrad(cv, float(crest.min()), base, top, bottom), alpha)
        if mist > 0:
            haze = np.exp(-(((ys - base) / 70.0) ** 2)) * m
            cv.add(haze, mix(BLUE_2, WHITE, 0.35), mist)
        if rim_alpha > 0:
            cv.add(cv.line_mask(pts, 1.5) * lit, mix(GOLD, WHITE, 0.55), rim_alpha)

    far = peaks_profile(
        xline,
        [(1000, 300, 230), (1420, 215, 170), (1900, 270, 210), (2330, 320, 240)],
        seed=11,
        rough=22.0,
        floor=70.0,
    )
    ridge_layer(
        HORIZON - 25, far, mix(BLUE_2, WHITE, 0.16), mix(BLUE_2, TEAL, 0.18), 0.55, 0.40, 0.08
    )

    mid = peaks_profile(
        xline,
        [(640, 330, 220), (1150, 225, 190), (2080, 215, 170), (2440, 250, 200)],
        seed=23,
        rough=26.0,
        floor=40.0,
    )
    mid = mid * (1.0 - 0.80 * np.exp(-(((xline - VP_X) / 210.0) ** 2)))
    ridge_layer(HORIZON - 8, mid, mix(BLUE, BLUE_2, 0.55), mix(BLUE, BLUE_2, 0.22), 0.9, 0.50, 0.12)

    near_w = peaks_profile(
        xline, [(380, 390, 300), (860, 250, 200), (1220, 120, 150)], seed=37, rough=30.0, floor=0.0
    )
    near_w = near_w * (1.0 - smoothstep(1250.0, 1560.0, xline))
    ridge_layer(
        HORIZON + 6, near_w, mix(NAVY_2, BLUE, 0.55), mix(NAVY_2, BLUE, 0.18), 1.0, 0.35, 0.09
    )

    near_e = peaks_profile(xline, [(2230, 185, 230), (2480, 240, 220)], seed=41, rough=26.0)
    near_e = near_e * smoothstep(1820.0, 2050.0, xline)
    ridge_layer(
        HORIZON + 6, near_e, mix(NAVY_2, BLUE, 0.5), mix(NAVY_2, BLUE, 0.15), 1.0, 0.35, 0.09
    )

    # --- the plain ------------------------------------------------------------
    ground = cv.poly_mask(
        [(-40.0, HORIZON + 4), (W + 40.0, HORIZON + 4), (W + 40.0, H + 40.0), (-40.0, H + 40.0)]
    )
    cv.over(ground, vgrad(cv, HORIZON, H, mix(NAVY_2, BLUE, 0.45), mix(NAVY, NAVY_2, 0.55)))
    horizon_haze = np.exp(-(((ys - HORIZON) / 60.0) ** 2)) * (
        0.25 + 0.75 * np.exp(-(((xs - gx) / 750.0) ** 2))
    )
    cv.add(ground * horizon_haze, mix(BLUE_2, WHITE, 0.3), 0.12)

    # A faint planning grid on the plain.
    glines: list[Sequence[Point]] = [
        [project(gxw, 12.0), project(gxw, 600.0)] for gxw in np.arange(-72.0, 73.0, 8.0)
    ]
    for zw in (17.0, 21.5, 27.5, 35.0, 45.0, 58.0, 76.0, 100.0):
        y = project(0.0, zw)[1]
        glines.append([(-40.0, y), (W + 40.0, y)])

    def grid_fn(dr: ImageDraw.ImageDraw, k: float) -> None:
        for ln in glines:
            dr.line([(x * k, y * k) for x, y in ln], fill=255, width=max(1, round(1.1 * k)))

    gmask = cv._mask(grid_fn)
    cv.add(
        gmask * smoothstep(HORIZON + 10, HORIZON + 240, ys) * ground, mix(BLUE_2, WHITE, 0.3), 0.065
    )

    # Mist straddling the horizon softens where the hills meet the plain.
    straddle = np.exp(-(((ys - HORIZON + 6.0) / 26.0) ** 2)) * (
        0.20 + 0.80 * np.exp(-(((xs - gx) / 700.0) ** 2))
    )
    cv.add(straddle, mix(BLUE_2, WHITE, 0.35), 0.16)

    # --- the river: a broad S from the western hills down to the foreground --
    ry = np.linspace(HORIZON + 7.0, H + 60.0, 700)
    tt = (ry - HORIZON) / (H - HORIZON)
    # Bends equally spaced in log-depth, shrinking with distance like a real
    # meander seen in perspective.
    u = np.log(1.0 / tt)
    rx = 1330.0 - 520.0 * tt**0.9 + 215.0 * tt**0.95 * np.sin(2.0 * math.pi * u / 1.9 + 2.1)
    half = 1.2 + 100.0 * tt**1.1
    # Offset the banks perpendicular to the centre line.
    dx = np.gradient(rx)
    dyy = np.gradient(ry)
    nrm = np.sqrt(dx * dx + dyy * dyy)
    nx, ny = dyy / nrm, -dx / nrm
    left = list(zip(rx - nx * half, ry - ny * half, strict=True))
    right = list(zip(rx + nx * half, ry + ny * half, strict=True))
    centre = list(zip(rx + nx * half * 0.25, ry + ny * half * 0.25, strict=True))
    river = (
        cv.poly_mask(left + right[::-1]) * ground * smoothstep(HORIZON + 6.0, HORIZON + 60.0, ys)
    )
    cv.over(river, vgrad(cv, HORIZON, H, mix(TEAL, WHITE, 0.30), mix(TEAL, BLUE, 0.50)), 0.74)
    cv.add(cv.line_mask(centre, 1.3) * river, mix(GOLD, WHITE, 0.55), 0.30)
    banks = np.maximum(cv.line_mask(left, 1.2), cv.line_mask(right, 1.2)) * ground
    cv.add(banks, mix(TEAL, WHITE, 0.45), 0.22)

    # --- the corridor: expressway (east) and railway (west) going north -------
    z_near, z_far = 12.0, 4000.0
    road_l, road_r = 1.6, 7.4
    rail_c = -1.1

    # --- industrial park: geometric blocks either side of the corridor -------
    blocks = [
        # (x centre, z near face, width, depth, height)
        (-5.0, 24.0, 3.2, 3.0, 1.5),
        (-9.2, 22.5, 2.8, 2.4, 1.0),
        (-6.0, 30.5, 2.4, 2.4, 2.6),
        (-10.4, 29.0, 3.0, 3.4, 1.6),
        (-4.2, 37.0, 2.0, 2.0, 3.4),
        (-8.4, 38.0, 2.6, 2.6, 1.8),
        (-13.0, 35.5, 2.8, 2.2, 1.2),
        (-11.6, 44.0, 2.2, 2.2, 2.2),
        (11.6, 23.0, 3.0, 3.2, 1.6),
        (12.4, 31.0, 2.4, 2.6, 2.7),
        (16.0, 29.0, 3.2, 2.8, 1.3),
        (11.2, 39.0, 2.8, 2.4, 1.9),
    ]
    blocks.sort(key=lambda b: -b[1])  # paint far to near
    top_c = mix(BLUE_2, WHITE, 0.20)
    front_c = mix(BLUE, BLUE_2, 0.30)
    side_c = mix(NAVY_2, BLUE, 0.45)
    win_c = mix(front_c, TEAL, 0.45)
    edge_c = mix(top_c, mix(GOLD, WHITE, 0.4), 0.55)

    shadows = []
    for bx, bz, bw, bd, _bh in blocks:
        x0, x1, z1 = bx - bw / 2, bx + bw / 2, bz + bd
        shadows.append(
            [
                project(x0 - 0.4, bz - 0.3),
                project(x1 + 0.4, bz - 0.3),
                project(x1 + 1.0, z1 + 1.5),
                project(x0 + 1.0, z1 + 1.5),
            ]
        )
    cv.over(cv.blur(cv.polys_mask(shadows), 5.0), NAVY, 0.5)

    def blocks_fn(dr: ImageDraw.ImageDraw, k: float) -> None:
        def P(pts: Sequence[Point]) -> list[Point]:
            return [(x * k, y * k) for x, y in pts]

        for bx, bz, bw, bd, bh in blocks:
            x0, x1, z0, z1 = bx - bw / 2, bx + bw / 2, bz, bz + bd
            sx = x1 if bx < 0 else x0  # the side facing the corridor axis is visible
            side = [project(sx, z0), project(sx, z1), project(sx, z1, bh), project(sx, z0, bh)]
            front = [project(x0, z0), project(x1, z0), project(x1, z0, bh), project(x0, z0, bh)]
            top = [
                project(x0, z0, bh),
                project(x1, z0, bh),
                project(x1, z1, bh),
                project(x0, z1, bh),
            ]
            dr.polygon(P(side), fill=(*side_c, 255))
            dr.polygon(P(front), fill=(*front_c, 255))
            dr.polygon(P(top), fill=(*top_c, 255))
            # Ribbon windows: a few fine horizontal lines on the front face.
            n = max(1, int(bh / 0.7))
            for i in range(n):
                wy = bh * (i + 0.6) / (n + 0.4)
                a, b_ = project(x0 + 0.25, z0, wy), project(x1 - 0.25, z0, wy)
                dr.line(P([a, b_]), fill=(*win_c, 255), width=max(1, round(1.6 * k)))
            # Lit roof edge.
            dr.line(P([top[3], top[0], top[1]]), fill=(*edge_c, 255), width=max(1, round(1.2 * k)))

    cv.layer(blocks_fn)

    # Expressway surface, edges and centre dashes.
    road = cv.poly_mask(
        [
            project(road_l, z_near),
            project(road_r, z_near),
            project(road_r, z_far),
            project(road_l, z_far),
        ]
    )
    cv.over(road, vgrad(cv, HORIZON, H, mix(NAVY_2, BLUE, 0.3), NAVY), 0.95)
    near_bright = 0.30 + 0.70 * smoothstep(HORIZON, H, ys)
    edges = np.maximum(
        cv.line_mask([project(road_l, z_near), project(road_l, z_far)], 1.4),
        cv.line_mask([project(road_r, z_near), project(road_r, z_far)], 1.4),
    )
    cv.add(edges * near_bright, WHITE, 0.45)
    mid_x = 0.5 * (road_l + road_r)
    dashes = ground_quads(project, mid_x, 0.08, z_near, 500.0, 2.0, 5.0)
    cv.add(cv.polys_mask(dashes), WHITE, 0.5)
    # Light trails: gold northbound (the way to Xinzhou), pale southbound.
    for lx, col, al in ((road_l + 1.2, mix(WHITE, TEAL, 0.2), 0.40), (road_r - 1.2, GOLD, 0.85)):
        core = cv.line_mask([project(lx, z_near), project(lx, z_far)], 1.7)
        cv.add(np.minimum(1.0, cv.blur(core, 6.0) * 3.0), col, al * 0.35)
        cv.add(core, col, al)

    # Railway: two rails on fine sleepers, with a teal glow along it.
    sleepers = ground_quads(project, rail_c, 0.75, z_near, 300.0, 0.14, 1.0)
    cv.add(cv.polys_mask(sleepers) * near_bright, mix(WHITE, TEAL, 0.3), 0.22)
    for rxw in (rail_c - 0.5, rail_c + 0.5):
        cv.add(
            cv.line_mask([project(rxw, z_near), project(rxw, z_far)], 1.2) * near_bright,
            mix(WHITE, TEAL, 0.3),
            0.60,
        )
    rail_glow = cv.blur(cv.line_mask([project(rail_c, z_near), project(rail_c, z_far)], 2.0), 10.0)
    cv.add(np.minimum(1.0, rail_glow * 2.5), TEAL, 0.20)

    # Where the corridor meets the horizon: a small point of light.
    px, py = VP_X, HORIZON
    d2 = (xs - px) ** 2 + ((ys - py) * 1.6) ** 2
    cv.add(np.exp(-d2 / (2 * 7.0**2)), mix(GOLD, WHITE, 0.6), 0.75)
    cv.add(np.exp(-d2 / (2 * 45.0**2)), GOLD, 0.20)

    # --- fade the left part out so the slide shows through behind the text ---
    fade = smoothstep(W * 0.03, W * 0.40, xs) ** 1.25
    # ...and the top edge too: on a portrait screen the picture starts halfway
    # down the slide, where any haze left at its edge would draw a seam.
    fade = fade * smoothstep(0.0, H * 0.12, ys)
    cv.multiply_alpha(fade)
    return cv.to_image(dither=True)


# ---------------------------------------------------------------------------
# Emblem and app icon.
# ---------------------------------------------------------------------------


def draw_emblem(size: int, on_tile: bool = False, hills: bool = True) -> Image.Image:
    """The round emblem; ``on_tile`` puts it on a navy rounded square (app icon).

    Geometry is laid out on a 512-unit design grid and scaled to ``size``;
    everything is rasterised at 4x and LANCZOS-downsampled.
    """
    cv = Canvas(size, size, scale=4, oversample=1)
    s = size / 512.0
    c = 256.0
    ys, xs = cv.ys / s, cv.xs / s  # design-grid coordinates of every pixel
    # The icon draws the emblem a little smaller on its tile, with bolder hairlines.
    k = 0.86 if on_tile else 1.0
    bold = 1.6 if on_tile else 1.0

    def R(v: float) -> float:
        return v * k

    def disc(cx: float, cy: float, r: float) -> np.ndarray:
        return cv.ellipse_mask(cx * s, cy * s, r * s, r * s)

    def ring(cx: float, cy: float, r_out: float, r_in: float) -> np.ndarray:
        return np.clip(disc(cx, cy, r_out) - disc(cx, cy, r_in), 0.0, 1.0)

    def poly(pts: Sequence[Point]) -> np.ndarray:
        return cv.poly_mask([(x * s, y * s) for x, y in pts])

    def vramp(y0: float, y1: float, c0: Color, c1: Color) -> np.ndarray:
        t = np.clip((ys - y0) / (y1 - y0), 0.0, 1.0)[..., None]
        col = (np.asarray(c0, np.float32) * (1.0 - t) + np.asarray(c1, np.float32) * t) / 255.0
        return np.broadcast_to(col, (cv.h, cv.w, 3))

    if on_tile:

        def tile_fn(d: ImageDraw.ImageDraw, kk: float) -> None:
            d.rounded_rectangle(
                [0, 0, size * kk - 1, size * kk - 1], radius=round(60 * s * kk), fill=255
            )

        tile = cv._mask(tile_fn)
        cv.over(tile, vramp(0.0, 512.0, mix(NAVY_2, BLUE, 0.25), NAVY))
        # A whisper of light from above on the tile.
        glow = np.exp(-(((xs - c) / 300.0) ** 2 + ((ys - 40.0) / 260.0) ** 2))
        cv.add(glow * tile, BLUE_2, 0.18)

    r_band_o, r_band_i = R(248), R(224)
    r_field = r_band_i
    r_hair = R(210)

    # Field: deep blue, lighter at the top.
    field = disc(c, c, r_field + 1.0)
    field_col = vramp(c - r_field, c + r_field, mix(BLUE, NAVY_2, 0.30), NAVY)
    cv.over(field, field_col)
    # Soft light in the upper field.
    cv.add(
        field * np.exp(-(((xs - c) / 170.0) ** 2 + ((ys - (c - 40.0)) / 150.0) ** 2)),
        mix(BLUE_2, TEAL, 0.3),
        0.16,
    )

    inner = disc(c, c, r_hair - 1.0)
    if hills:
        # A quiet, symmetric ridge line low in the field: the county's hills.
        hx = np.linspace(c - 260.0, c + 260.0, 600)
        prof = np.zeros_like(hx)
        for x0, h, w in (
            (c, 84.0, 74.0),
            (c - 122.0, 54.0, 64.0),
            (c + 122.0, 54.0, 64.0),
            (c - 208.0, 30.0, 58.0),
            (c + 208.0, 30.0, 58.0),
        ):
            prof = np.maximum(prof, h / (1.0 + (np.abs(hx - x0) / w) ** 2.2))
        base_y = c + R(190)
        crest = base_y - R(1.0) * prof * k - R(26)
        pts = [(float(x), float(y)) for x, y in zip(c + (hx - c) * k, crest, strict=True)]
        m = poly([*pts, (c + 300.0, 600.0), (c - 300.0, 600.0)]) * inner
        cv.over(
            m,
            vramp(float(crest.min()), base_y, mix(BLUE, BLUE_2, 0.35), mix(NAVY, BLUE, 0.35)),
            0.9,
        )
        rim = cv.line_mask([(x * s, y * s) for x, y in pts], 2.2 * bold * s) * inner
        cv.over(rim, TEAL, 0.55)

    # Gold band and a fine gold hairline inside it.
    band = ring(c, c, r_band_o, r_band_i)
    cv.over(band, vramp(c - r_band_o, c + r_band_o, mix(GOLD, WHITE, 0.22), mix(GOLD, NAVY, 0.10)))
    # A faint highlight along the band's upper edge.
    cv.add(
        ring(c, c, r_band_o - 3.0, r_band_o - 6.0) * smoothstep(c + 40.0, c - 220.0, ys),
        WHITE,
        0.25,
    )
    cv.over(ring(c, c, r_hair, r_hair - 3.0 * bold), GOLD, 0.9)

    # Two interlocking rings, Taiyuan and Xinzhou, side by side.
    dx = R(64)
    r_o, r_i = R(108), R(85 if on_tile else 89)
    lc, rc = (c - dx, c - R(16)), (c + dx, c - R(16))
    cy = lc[1]
    teal = TEAL
    pale = mix(BLUE_2, WHITE, 0.62)
    left_ring = ring(*lc, r_o, r_i)
    right_ring = ring(*rc, r_o, r_i)
    gap = R(7) * (1.2 if on_tile else 1.0)
    left_gap = ring(*lc, r_o + gap, r_i - gap)
    right_gap = ring(*rc, r_o + gap, r_i - gap)
    top = (ys < cy).astype(np.float32)
    bottom = 1.0 - top

    # The lens between them, washed with a little teal.
    lens = disc(*lc, r_i) * disc(*rc, r_i)
    cv.over(lens, TEAL, 0.14)

    # Weave: the left ring passes over at the top crossing, under at the bottom.
    cv.over(right_ring, pale)
    cv.over(left_gap * right_ring * top, field_col)
    cv.over(left_ring, teal)
    cv.over(right_gap * left_ring * bottom, field_col)
    cv.over(right_ring * bottom * disc(*lc, r_o + gap + 2.0), pale)

    # The link: a line through both centres, Yangqu as the gold node between.
    lw = R(6) * bold
    halo_w = lw + R(10)
    cv.over(
        poly(
            [
                (lc[0], cy - halo_w / 2),
                (rc[0], cy - halo_w / 2),
                (rc[0], cy + halo_w / 2),
                (lc[0], cy + halo_w / 2),
            ]
        )
        * lens,
        field_col,
    )
    cv.over(
        poly(
            [(lc[0], cy - lw / 2), (rc[0], cy - lw / 2), (rc[0], cy + lw / 2), (lc[0], cy + lw / 2)]
        ),
        WHITE,
        0.92,
    )
    for (nx, ny), col in ((lc, teal), (rc, pale)):
        cv.over(disc(nx, ny, R(17)), field_col)
        cv.over(disc(nx, ny, R(13)), WHITE)
        cv.over(disc(nx, ny, R(7.5)), col)
    dm = R(20)
    dm_h = dm + R(6)
    cv.over(poly([(c, cy - dm_h), (c + dm_h, cy), (c, cy + dm_h), (c - dm_h, cy)]), field_col)
    cv.over(
        poly([(c, cy - dm), (c + dm, cy), (c, cy + dm), (c - dm, cy)]),
        vramp(cy - dm, cy + dm, mix(GOLD, WHITE, 0.25), GOLD),
    )
    return cv.to_image(dither=False)


# ---------------------------------------------------------------------------


def save_png(im: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, format="PNG", optimize=True)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    ap.add_argument("--only", choices=("cover", "emblem", "icon"), help="draw one image only")
    args = ap.parse_args(argv)
    out: Path = args.out
    if args.only in (None, "cover"):
        save_png(draw_cover(), out / "cover.png")
    if args.only in (None, "emblem"):
        save_png(draw_emblem(512), out / "emblem.png")
    if args.only in (None, "icon"):
        save_png(draw_emblem(256, on_tile=True), out / "app-icon.png")
    for name in ("cover.png", "emblem.png", "app-icon.png"):
        p = out / name
        if p.exists():
            print(f"{p}  {p.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

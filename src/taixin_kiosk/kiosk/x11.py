"""Whether an X11 window is really on screen, asked of the X server.

Qt does not always hear of it: matchbox iconifies a window by unmapping its
frame, which leaves the window itself mapped, and Qt then still calls it
exposed and not minimised; a frame moved by another client takes the window
along without Qt being told where it now is. The X server knows (``map_state``), and says
``BadWindow`` for a window another client destroyed. Asked on Qt's own
connection with libxcb (through ctypes: no extra package), so the answer
comes in order with everything Qt sent.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from enum import Enum
from functools import cache

from PySide6.QtGui import QGuiApplication

log = logging.getLogger("taixin_kiosk.kiosk")

# xcb_get_window_attributes_reply_t: map_state's offset (after response
# type, backing store, sequence, length, visual, class, bit and win gravity,
# backing planes and pixel, save under, map is installed).
_MAP_STATE_OFFSET = 26
_VIEWABLE = 2  # XCB_MAP_STATE_VIEWABLE
# xcb_query_tree_reply_t: root's offset; xcb_translate_coordinates_reply_t:
# dst_x's and dst_y's (after response type, same screen, sequence, length, child).
_ROOT_OFFSET = 8
_DST_X_OFFSET, _DST_Y_OFFSET = 12, 14


class Mapped(Enum):
    VIEWABLE = "viewable"
    NOT_VIEWABLE = "not_viewable"  # unmapped, or inside an unmapped frame (iconified)
    GONE = "gone"                  # destroyed


class _Cookie(ctypes.Structure):
    _fields_ = [("sequence", ctypes.c_uint)]


class _Xcb:
    def __init__(self, lib: ctypes.CDLL, libc: ctypes.CDLL) -> None:
        self.request = lib.xcb_get_window_attributes
        self.request.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
        self.request.restype = _Cookie
        self.reply = lib.xcb_get_window_attributes_reply
        self.reply.argtypes = [ctypes.c_void_p, _Cookie, ctypes.POINTER(ctypes.c_void_p)]
        self.reply.restype = ctypes.c_void_p
        self.tree = lib.xcb_query_tree
        self.tree.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
        self.tree.restype = _Cookie
        self.tree_reply = lib.xcb_query_tree_reply
        self.tree_reply.argtypes = self.reply.argtypes
        self.tree_reply.restype = ctypes.c_void_p
        self.translate = lib.xcb_translate_coordinates
        self.translate.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_uint32,
                                   ctypes.c_int16, ctypes.c_int16]
        self.translate.restype = _Cookie
        self.translate_reply = lib.xcb_translate_coordinates_reply
        self.translate_reply.argtypes = self.reply.argtypes
        self.translate_reply.restype = ctypes.c_void_p
        self.free = libc.free
        self.free.argtypes = [ctypes.c_void_p]
        self.free.restype = None


@cache
def _xcb() -> _Xcb | None:
    found = ctypes.util.find_library("xcb")
    libc_name = ctypes.util.find_library("c")
    if found is None or libc_name is None:
        return None
    try:
        return _Xcb(ctypes.CDLL(found), ctypes.CDLL(libc_name))
    except (OSError, AttributeError) as error:
        log.info("libxcb cannot be used (%s): the window is checked by Qt alone", error)
        return None


def _connection() -> int | None:
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication) or QGuiApplication.platformName() != "xcb":
        return None
    native = app.nativeInterface()
    connection = getattr(native, "connection", None)
    if connection is None:
        return None
    pointer = connection()
    return int(pointer) if pointer else None


def mapped(window_id: int) -> Mapped | None:
    """What the X server says of ``window_id``; None when this is not X11
    (or libxcb cannot be used), so nobody can tell."""
    connection = _connection()
    xcb = _xcb() if connection is not None else None
    if xcb is None or connection is None:
        return None
    error = ctypes.c_void_p()
    reply = xcb.reply(connection, xcb.request(connection, window_id), ctypes.byref(error))
    if error.value:
        xcb.free(error.value)
    if not reply:
        return Mapped.GONE
    try:
        state = ctypes.c_uint8.from_address(reply + _MAP_STATE_OFFSET).value
    finally:
        xcb.free(reply)
    return Mapped.VIEWABLE if state == _VIEWABLE else Mapped.NOT_VIEWABLE


def _answer(xcb: _Xcb, reply_of: ctypes._CFuncPtr, connection: int,  # type: ignore[name-defined]
            cookie: _Cookie) -> int | None:
    """The reply's address (free it), or None after an X error."""
    error = ctypes.c_void_p()
    reply = reply_of(connection, cookie, ctypes.byref(error))
    if error.value:
        xcb.free(error.value)
    return int(reply) if reply else None


def position(window_id: int) -> tuple[int, int] | None:
    """Where ``window_id``'s top-left corner is on the screen, in device
    pixels, as the X server says; None when nobody can tell."""
    connection = _connection()
    xcb = _xcb() if connection is not None else None
    if xcb is None or connection is None:
        return None
    tree = _answer(xcb, xcb.tree_reply, connection, xcb.tree(connection, window_id))
    if tree is None:
        return None
    try:
        root = ctypes.c_uint32.from_address(tree + _ROOT_OFFSET).value
    finally:
        xcb.free(tree)
    moved = _answer(xcb, xcb.translate_reply, connection,
                    xcb.translate(connection, window_id, root, 0, 0))
    if moved is None:
        return None
    try:
        return (ctypes.c_int16.from_address(moved + _DST_X_OFFSET).value,
                ctypes.c_int16.from_address(moved + _DST_Y_OFFSET).value)
    finally:
        xcb.free(moved)

#!/bin/sh
# Prepares a fresh machine: the system libraries Qt needs (Debian/Ubuntu, only
# those missing; with `test` also the tools of the slow end-to-end tests), then
# a virtual environment in .venv with the app installed.
#   sh tools/setup.sh          the app
#   sh tools/setup.sh test     the app and its test tools
set -eu
cd "$(dirname "$0")/.."

QT_LIBS="libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1
libfreetype6 libglib2.0-0 libdbus-1-3 libx11-xcb1 libxcb-cursor0 libxcb-icccm4
libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0
libxcb-xkb1 libxcb-xinerama0 libxrender1 libxi6"

# Only for `test`: the X server, input and accessibility bus that the slow
# end-to-end tests drive (a screen reader's view of the app over AT-SPI).
# nginx: the content channel's tests serve a repository with it (started by
# the tests themselves on 127.0.0.1, never as a service). A window manager,
# the X tools and libfaketime: the fault drill (benchmarks/faults.py) runs a
# supervised kiosk, minimises and destroys its window and jumps its clock.
TEST_TOOLS="xvfb xdotool dbus-daemon at-spi2-core libglib2.0-bin nginx
matchbox-window-manager x11-utils wmctrl libfaketime"

PYTHON="${PYTHON:-python3}"

if command -v dpkg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    missing=""
    wanted="$QT_LIBS"
    [ "${1:-}" = "test" ] && wanted="$wanted $TEST_TOOLS"
    for pkg in $wanted; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
    done
    # Debian ships venv's pip bootstrap separately (python3-venv).
    if ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
        missing="$missing python3-venv"
    fi
    if [ -n "$missing" ]; then
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        echo "Installing system packages:$missing"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
    fi
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "test" ]; then
    .venv/bin/python -m pip install -q -e ".[test]"
else
    .venv/bin/python -m pip install -q -e .
fi

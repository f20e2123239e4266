#!/usr/bin/env bash
# The one entry point of the lecture-video generator. It sets itself up on first use:
# system packages (installed when run as root, otherwise the exact apt-get line is printed),
# then .venv/ with the pinned Python packages. Later calls check that set-up in one line and
# install nothing.
#
#   ./render.sh                                   record the traces if missing or stale, narrate and
#                                                 render every scene at preview quality into
#                                                 out/preview/zh/, then publish the lecture (lecture.mp4
#                                                 with chapters, subtitles zh+en, posters, handout,
#                                                 manifest) and the students' page. Only what changed is
#                                                 made again, and each line says why
#   ./render.sh [SCENE...] [--quality preview|hd|4k] [-j N] [--lang zh|en|zh,en] [--force]
#              [--voice SOURCE] [--takes DIR] [--burn-subtitles] [--strict-captions] [--no-lecture] [--no-wait]
#              [--config FILE | --traces DIR] [--out DIR] [--engine local|ray [--address HOST:PORT]]
#                                                 render those scenes (default: all, in lesson order)
#                                                 into out/<quality>/<lang>/. --voice (default: neural;
#                                                 python -m voice list names them) narrates every beat,
#                                                 and each beat lasts as long as its clip; recorded reads
#                                                 your takes from --takes DIR (default assets/voice/).
#                                                 --no-wait: stop at once if another run writes the cut
#                                                 --strict-captions: a subtitle that breaks the timed-text
#                                                 standard fails the run (default: a warning)
#   ./render.sh status [same options]             what ./render.sh with those options would redo, and
#                                                 why, without doing it (--dry-run)
#   ./render.sh catalogue FILE.toml [--engine ray|local] [--address HOST:PORT] [--out DIR] [--force]
#              [--voice SOURCE] [--takes DIR]
#                                                 a course (lessons x languages x qualities, e.g.
#                                                 assets/course.toml): every job to one engine at once
#                                                 (default: Ray; installs the 'farm' group), narrated
#                                                 as ./render.sh is (default: neural)
#   ./render.sh traces [--out DIR] [--config FILE] [--check]
#                                                 record every trace (default: traces/,
#                                                 assets/lessons/default.toml); --check: are they
#                                                 present and current? (exit 1 if not)
#   ./render.sh summary [--out DIR]                the key numbers of the recorded runs
#   ./render.sh test [--slow] [PYTEST ARGS]        the test suite (--slow: only the slow tests:
#                                                 browser, Ray, voices, real renders; CI runs both)
#   ./render.sh bench [--quick | --farm | --edit-loop]
#                                                 speed benchmarks (print figures, assert nothing)
#   ./render.sh speed SCENE... [--quality hd|4k]   a render against the libx264 encode floor
#   ./render.sh check [--quality Q]                the lecture plays in headless Chromium
#                                                 (installs Debian's chromium when root)
#   ./render.sh slides [SCENE...] [--quality Q] [--lang L] [-j N] [--engine local|ray] [--force]
#                                                 slides for teachers: the scenes with a stop at each
#                                                 beat and its narration as speaker notes, in
#                                                 out/<quality>/<lang>/slides/: lecture.html (RevealJS,
#                                                 one offline file) and lecture.pptx
#   ./render.sh package [--quality Q] [--lang L]  the deliverables, out/<quality>/package/: per language
#                                                 SCORM 1.2 and 2004 zips for an LMS, upload/<lang>/
#                                                 for a video site, the described transcript (renders
#                                                 what is stale first; --no-render: package the cuts
#                                                 as they are)
#   ./render.sh page [--quality Q] [--serve]      the student page, out/<quality>/site/: the lecture
#                                                 with chapters, transcript, the runs to explore
#                                                 and questions (--serve: on 127.0.0.1)
#   ./render.sh script [--lang zh|en] [--takes DIR]
#                                                 the recording script for --voice recorded: per
#                                                 scene, each beat's id, line and take path
#                                                 (out/script/<lang>/)
#   ./render.sh help
#
# Environment: PYTHON picks the interpreter that creates .venv/ (default: python3, 3.11 or newer).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
VENV="$ROOT/.venv"
BOOT_PYTHON="${PYTHON:-python3}"
VERBS="render (or scene names) status catalogue traces summary test bench speed check page package script slides help"

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

# What the scenes need: Cairo and Pango to build manimpango and pycairo, LaTeX and dvisvgm for
# MathTex, and the CJK font for the Chinese text.
render_system_needs() {
    sim_system_needs
    printf 'pkg-config\t%s\n' "command -v pkg-config"
    printf 'gcc\t%s\n' "command -v cc"
    printf 'libcairo2-dev\t%s\n' "pkg-config --exists cairo"
    printf 'libpango1.0-dev\t%s\n' "pkg-config --exists pangocairo"
    printf 'texlive-latex-base\t%s\n' "command -v latex && kpsewhich amsmath.sty"
    printf 'texlive-latex-recommended\t%s\n' "kpsewhich anysize.sty"
    printf 'texlive-latex-extra\t%s\n' "kpsewhich standalone.cls"
    printf 'preview-latex-style\t%s\n' "kpsewhich preview.sty"
    printf 'texlive-fonts-recommended\t%s\n' "kpsewhich ptmr8t.tfm"
    printf 'dvisvgm\t%s\n' "command -v dvisvgm"
    printf 'fontconfig\t%s\n' "command -v fc-list && command -v fc-match"
    printf 'fonts-noto-cjk\t%s\n' "[ -n \"\$(fc-list 'Noto Sans CJK SC' family)\" ]"
}

voice_system_needs() {
    printf 'espeak-ng\t%s\n' "command -v espeak-ng"
}

# The SOURCE of --voice SOURCE (or --voice=SOURCE) on a command line; a bare --voice means espeak;
# without --voice, DEFAULT_VOICE: the lecture is narrated by the neural voices unless told otherwise.
DEFAULT_VOICE=neural
voice_source() {
    local args=("$@") i next
    for ((i = 0; i < ${#args[@]}; i++)); do
        case "${args[$i]}" in
            --voice=*) printf '%s\n' "${args[$i]#--voice=}"; return ;;
            --voice) next="${args[$((i + 1))]:-}"
                     case "$next" in ""|-*) printf 'espeak\n' ;; *) printf '%s\n' "$next" ;; esac; return ;;
        esac
    done
    printf '%s\n' "$DEFAULT_VOICE"
}

# with_voice ARGS...: VOICE, the narration source, and ARGS, the arguments with --voice VOICE
# added when none was given (the neural voices, on every engine: Ray's tasks carry the clips).
with_voice() {
    ARGS=("$@")
    case " $* " in
        *" --voice "*|*" --voice="*|*" --voice") VOICE="$(voice_source "$@")" ;;
        *) VOICE="$DEFAULT_VOICE"; ARGS+=(--voice "$VOICE") ;;
    esac
}

# course_languages ARGS...: the languages of the course file among ARGS, comma-separated (zh when
# it cannot be read: lecture.catalogue then reports what is wrong with it).
course_languages() {
    local arg
    for arg in "$@"; do
        case "$arg" in
            *.toml) "$BOOT_PYTHON" -c 'import sys, tomllib; print(",".join(tomllib.load(open(sys.argv[1], "rb")).get("languages", ["zh"])))' "$arg" 2>/dev/null || echo zh
                    return ;;
        esac
    done
    echo zh
}

# langs_of ARGS...: the --lang value among ARGS (default zh).
langs_of() {
    local args=("$@") i langs=zh
    for ((i = 0; i < ${#args[@]}; i++)); do
        case "${args[$i]}" in --lang) langs="${args[$((i + 1))]:-}" ;; --lang=*) langs="${args[$i]#--lang=}" ;; esac
    done
    printf '%s\n' "$langs"
}

# ensure_voice SOURCE ARGS...: what --voice SOURCE needs for the languages of ARGS, installed on
# first use. The list of voices and what each needs lives in voice/services/ (python -m voice
# needs): a pyproject group in .venv/, a Debian package, or a set-up step (the Chinese neural
# voice's own environment .voices/zh/, TensorFlow, never in .venv/).
ensure_voice() {
    local source="$1"; shift
    local langs kind name test
    langs="$(langs_of "$@")"
    "$VENV/bin/python" -m voice needs "$source" --lang "$langs" >/dev/null 2>&1 \
        || die "unknown voice '$source'. Valid voices: $("$VENV/bin/python" -c 'from voice import NAMES; print(", ".join(NAMES))')." 2
    while IFS=$'\t' read -r kind_name test; do
        kind="${kind_name%% *}"; name="${kind_name#* }"
        case "$kind" in
            group) ensure_venv "$name" ;;
            system) eval "$test" >/dev/null 2>&1 || ensure_system printf '%s\t%s\n' "$name" "$test" ;;
            setup) if ! eval "$test" >/dev/null 2>&1; then
                       say "set-up: creating .voices/$name/ for the neural voice of '$name' (TensorFlow, about 600 MB, once)"
                       "$VENV/bin/python" -m voice setup "$name" >/dev/null || die "could not set up the voice of '$name' (see above)."
                   fi ;;
        esac
    done < <("$VENV/bin/python" -m voice needs "$source" --lang "$langs")
    return 0
}

browser_system_needs() {
    printf 'chromium\t%s\n' "command -v chromium"
    printf 'chromium-driver\t%s\n' "command -v chromedriver"
}

# The offline RevealJS deck takes reveal.js from the npm registry (once; lecture/deck.py).
slides_system_needs() {
    printf 'npm\t%s\n' "command -v npm"
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
    [ ${#missing[@]} -gt 2 ] && say "set-up: (LaTeX and the CJK fonts are large: this takes a few minutes, once)"
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

# ensure_venv GROUP...: .venv/ holds the pinned packages of these groups (and the system
# packages they need are present).
ensure_venv() {
    SYSTEM_NEEDS=sim_system_needs
    case " $* " in *" render "*) SYSTEM_NEEDS=render_system_needs; ensure_system render_system_needs ;; esac
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
    ensure_system "$SYSTEM_NEEDS"
    if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
        say "set-up: creating .venv/ with $("$BOOT_PYTHON" -V 2>&1)"
        rm -rf "$VENV"
        "$BOOT_PYTHON" -m venv "$VENV" || die "could not create .venv/ (on Debian: apt-get install python3-venv)."
        rm -f "$VENV"/.installed-*
    fi
    local sizes=""
    case " ${stale[*]} " in *" sim "*) sizes+=", about 900 MB for Paddle" ;; esac
    case " ${stale[*]} " in *" render "*) sizes+=", about 150 MB for Manim" ;; esac
    say "set-up: installing the pinned packages of groups: ${stale[*]}${sizes:+ (the first time${sizes})}"
    local reqs
    reqs="$(requirements "${stale[@]}")"
    # shellcheck disable=SC2086
    "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q \
        -c requirements.lock $reqs || die "pip could not install: $(echo $reqs). See its message above."
    for group in "${stale[@]}"; do printf '%s\n' "$want" > "$VENV/.installed-$group"; done
    say "set-up: done"
}

# The engine of --engine ENGINE (or --engine=ENGINE) on a command line (default: $1).
engine_of() {
    local default="$1" args=("${@:2}") i
    for ((i = 0; i < ${#args[@]}; i++)); do
        case "${args[$i]}" in
            --engine=*) printf '%s\n' "${args[$i]#--engine=}"; return ;;
            --engine) printf '%s\n' "${args[$((i + 1))]:-}"; return ;;
        esac
    done
    printf '%s\n' "$default"
}

# --- verbs --------------------------------------------------------------------------------------
verb="${1:-render}"
case "$verb" in
    -*|[A-Z]*) verb=render ;;
    *) [ $# -gt 0 ] && shift ;;
esac
case "$verb" in
    render)
        if [ "$(engine_of local "$@")" = ray ]; then ensure_venv sim render farm; else ensure_venv sim render; fi
        with_voice "$@"
        ensure_voice "$VOICE" "${ARGS[@]}"
        exec "$VENV/bin/python" -m lecture.commands.render "${ARGS[@]}"
        ;;
    status)  # what ./render.sh with the same options would redo, and why (installs no voice)
        ensure_venv sim render voice
        with_voice "$@"
        exec "$VENV/bin/python" -m lecture.commands.render "${ARGS[@]}" --dry-run
        ;;
    catalogue)  # a course: the farm group (Ray) unless --engine local
        if [ "$(engine_of ray "$@")" = ray ]; then ensure_venv sim render farm; else ensure_venv sim render; fi
        with_voice "$@"
        ensure_voice "$VOICE" "${ARGS[@]}" --lang "$(course_languages "$@")"
        exec "$VENV/bin/python" -m lecture.commands.catalogue "${ARGS[@]}"
        ;;
    traces)  # --check: are the traces present and current?
        ensure_venv sim
        case " $* " in
            *" --check "*) args=(); for a in "$@"; do [ "$a" = --check ] || args+=("$a"); done
                           exec "$VENV/bin/python" -m sim status "${args[@]}" ;;
        esac
        exec "$VENV/bin/python" -m sim record "$@"
        ;;
    summary)
        ensure_venv sim
        exec "$VENV/bin/python" -m sim summary "$@"
        ;;
    test)
        ensure_venv sim test render voice slides browser
        if [ "${1:-}" = "--slow" ]; then  # the marked slow tests only (browser, Ray, voices, renders)
            shift
            ensure_venv sim test render voice slides browser farm   # the Ray tests need the farm group
            ensure_system browser_system_needs
            ensure_voice neural --lang zh,en   # the narrated-render tests use both neural voices
            ensure_voice espeak --lang en
            exec "$VENV/bin/python" -m pytest -m slow "$@"
        fi
        # every core, the tests of one scene on one worker (its storyboard runs once)
        exec "$VENV/bin/python" -m pytest -m "not slow" -n auto --dist loadgroup "$@"
        ;;
    script)  # the recording script for --voice recorded: per scene, beat id, line, take path
        ensure_venv sim render voice
        exec "$VENV/bin/python" -m lecture.commands.script "$@"
        ;;
    bench)
        case " $* " in
            *" --farm "*) ensure_venv sim render farm; exec "$VENV/bin/python" -m lecture.commands.bench_farm "$@" ;;
            *" --edit-loop "*) ensure_venv sim render; ensure_voice "$DEFAULT_VOICE" --lang zh
                               exec "$VENV/bin/python" -m lecture.commands.bench_edit "$@" ;;
        esac
        ensure_venv sim render
        exec "$VENV/bin/python" -m lecture.commands.bench "$@"
        ;;
    speed)
        ensure_venv sim render
        exec "$VENV/bin/python" -m lecture.commands.speed "$@"
        ;;
    check)
        ensure_venv sim render
        ensure_system browser_system_needs
        exec "$VENV/bin/python" -m lecture.commands.check "$@"
        ;;
    slides)
        if [ "$(engine_of local "$@")" = ray ]; then ensure_venv sim render slides farm; else ensure_venv sim render slides; fi
        ensure_system slides_system_needs
        exec "$VENV/bin/python" -m lecture.commands.slides "$@"
        ;;
    page)
        ensure_venv sim render
        exec "$VENV/bin/python" -m lecture.commands.page "$@"
        ;;
    package)  # the cuts of every language brought up to date (as render), then the deliverables
        ensure_venv sim render
        with_voice "$@"
        case " $* " in
            *" --lang "*|*" --lang="*) ;;
            *) ARGS+=(--lang "$("$VENV/bin/python" -c 'from lecture.commands.package import languages; print(languages())')") ;;
        esac
        case " $* " in *" --no-render "*) ;; *) ensure_voice "$VOICE" "${ARGS[@]}" ;; esac
        exec "$VENV/bin/python" -m lecture.commands.package "${ARGS[@]}"
        ;;
    help|-h|--help)
        usage
        ;;
    *)
        die "unknown command '$verb'. Valid commands: $VERBS (see ./render.sh help)." 2
        ;;
esac

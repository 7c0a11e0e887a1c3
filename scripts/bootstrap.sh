#!/usr/bin/env bash
# Set up a fresh machine and run rightsgraph: the README's two commands.
#
#   bash scripts/bootstrap.sh run    # set up, then `rightsgraph run` (build, validate, answer, dist/)
#   bash scripts/bootstrap.sh test   # set up with test tools and servers, then ruff and the tests
#
# Everything goes into .venv/ beside this checkout; system packages (only for `test`: the real
# servers and browser the tests start) are installed with apt when missing and we are root.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-run}"
shift || true
python="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv || { echo "bootstrap: cannot create a virtual environment (on Debian: apt-get install python3-venv)" >&2; exit 2; }
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null

case "$mode" in
run)
    .venv/bin/python -m pip install --quiet -e .
    exec .venv/bin/rightsgraph run "$@"
    ;;
test)
    # System packages the tests start for real: servers, a browser, a web server.
    # (one line per package, with the tests that need it)
    packages=(
        chromium        # browser tests of the published site and the interactive view
        nginx-light     # content negotiation of the published site
        apache2-bin     # the same, through the generated .htaccess
        fonts-wqy-zenhei  # Chinese text in the browser tests' screenshots (else empty boxes)
        virtuoso-opensource  # cross-engine conformance
        openjdk-17-jre-headless libapache-jena-java  # Apache Jena's SHACL, the third opinion (validate/jena.py)
        libicu-dev pkg-config g++  # PyICU (for followthemoney, `rightsgraph export ftm`) builds from source
    )
    missing=()
    for pkg in "${packages[@]}"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        if [ "$(id -u)" = 0 ]; then
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
        else
            echo "bootstrap: the tests need these Debian packages: ${missing[*]} (run as root, or install them)" >&2
        fi
    fi
    .venv/bin/python -m pip install --quiet -e '.[test]'
    # The interactive view's front-end libraries (Cytoscape.js), pinned by its package-lock.json.
    if ! command -v npm >/dev/null && [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    fi
    command -v npm >/dev/null || { echo "bootstrap: the tests need Node.js and npm (for scripts/rightsgraph/export/view)" >&2; exit 2; }
    npm ci --prefix scripts/rightsgraph/export/view --no-audit --no-fund --silent
    .venv/bin/ruff check scripts tests
    (cd scripts && ../.venv/bin/lint-imports ../pyproject.toml --no-cache >/dev/null) || { echo "bootstrap: an import breaks the layers (run lint-imports in scripts/)" >&2; exit 1; }
    exec .venv/bin/pytest "$@"
    ;;
*)
    echo "usage: bash scripts/bootstrap.sh run|test [args...]" >&2
    exit 2
    ;;
esac

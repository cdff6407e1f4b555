#!/usr/bin/env bash
# npm run diagrams: renders every diagrams/*.dot (Graphviz) to an SVG beside it.
# The SVGs are committed so the README shows them on GitHub; edit the .dot, then rerun.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dot >/dev/null 2>&1; then
  echo "error: Graphviz 'dot' is not installed: apt-get install graphviz (Debian/Ubuntu), brew install graphviz (macOS)" >&2
  exit 1
fi

shopt -s nullglob
sources=(*.dot)
[ ${#sources[@]} -gt 0 ] || { echo "error: no .dot files in diagrams/" >&2; exit 1; }
for source in "${sources[@]}"; do
  dot -Tsvg "$source" -o "${source%.dot}.svg"
  echo "diagrams/${source%.dot}.svg"
done

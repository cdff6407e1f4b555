# shellcheck shell=bash
# The CI tiers' steps: `step NAME CMD...` runs CMD under a "== <tier>: NAME" heading and
# records how long it took in STEPS, for the summary the tier prints at the end.
# Source it after setting STEP_TIER (e.g. STEP_TIER=container); do not run it.
STEPS=()

step() {
  local name="$1"; shift
  local started=$SECONDS
  echo
  echo "== ${STEP_TIER}: $name"
  "$@"
  STEPS+=("$(printf '%-40s %4ss' "$name" "$((SECONDS - started))")")
}

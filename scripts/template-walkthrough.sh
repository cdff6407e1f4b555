#!/usr/bin/env bash
# docs/template.md, followed as a newcomer would, on a copy of the tree: writes every code
# block of the page that names a file (```ts file=PATH) to that file, runs the command the
# page gives (npm run generate), then the typecheck, the linter and the new job's tests and
# the checks that guard the generated files. The page's blocks are the only copy of the job:
# if the page drifts from the code, this fails.
#   bash scripts/template-walkthrough.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
say() { printf '[template] %s\n' "$*"; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# The tracked files as they are in this working tree, and the installed packages.
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$WORK"
ln -s "$PWD/node_modules" "$WORK/node_modules"
cd "$WORK"

node -e '
  const fs = require("node:fs");
  const path = require("node:path");
  const page = fs.readFileSync("docs/template.md", "utf8");
  const blocks = [...page.matchAll(/^```ts file=(\S+)\n([\s\S]*?)^```$/gm)];
  if (blocks.length < 4) throw new Error(`docs/template.md: ${blocks.length} file blocks, expected worker.ts, job.ts, index.ts and a test`);
  for (const [, file, text] of blocks) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    console.log(`[template] wrote ${file} from docs/template.md`);
  }'
say "npm run generate (as the page says)"
npm run --silent generate

say "what it took, file by file (lines added, removed):"
for file in $(find src/jobs/sum test/jobs -type f | sort) src/jobs/index.ts k8s/base/gateway.yaml README.md .env.example \
  k8s/components/monitoring/grafana-dashboard.json k8s/components/monitoring/prometheusrule.yaml; do
  before="$ROOT/$file"
  [ -e "$before" ] || before=/dev/null
  git diff --no-index --numstat "$before" "$file" | awk -v f="$file" '{ printf "  +%s -%s  %s\n", $1, $2, f }' || true
done
say "npm run typecheck"
npm run --silent typecheck
say "eslint and prettier on the job's files"
npx eslint src/jobs/sum test/jobs
npx prettier --check src/jobs/sum test/jobs
say "the job's tests, and the checks that read every registered job: generated files, README, core boundary, manifests, dashboard"
npm test --silent -- test/jobs/sum.test.ts test/unit/generated.test.ts test/unit/readme-reference.test.ts test/unit/core-boundary.test.ts \
  test/manifests/cross-object.test.ts test/manifests/app-contract.test.ts test/manifests/diagrams.test.ts test/manifests/monitoring.test.ts
if command -v promtool >/dev/null 2>&1; then
  say "promtool check rules on the regenerated PrometheusRule"
  npx tsx tools/prometheus/rules-file.ts >"$WORK/rules.yaml"
  promtool check rules "$WORK/rules.yaml"
fi
say "done: a third job from docs/template.md alone"

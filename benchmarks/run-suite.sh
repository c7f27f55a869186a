#!/usr/bin/env bash
# The benchmark suite in one command (./openenv bench-suite runs this): builds the modules and the JMH jar, then
# runs step latency per transport pair against the TCP floor, throughput with 1/16/64/256 sessions, the codec,
# and the 10,000-idle-session probe; writes benchmarks/results/<date>/ (raw JMH JSON, logs, results.md).
# About 10 minutes on a 2-core machine. Options are passed to openenv.benchmarks.Suite:
#   --quick                      a one-minute smoke run (numbers not for quoting)
#   --only latency,throughput,codec,scale
#   --scale-sessions N           idle sessions for the scale probe (default 10000)
#   --out DIR                    output folder (default benchmarks/results/<date>)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# The scale probe holds one socket per session on each side: ask for as many descriptors as we may have.
hard="$(ulimit -Hn)"
if [ "$hard" = "unlimited" ]; then ulimit -n 65536 2>/dev/null || true; else ulimit -n "$hard" 2>/dev/null || true; fi
if [ "$(ulimit -n)" != "unlimited" ] && [ "$(ulimit -n)" -lt 12000 ]; then
  echo "bench-suite: warning: only $(ulimit -n) open files allowed; the 10,000-session probe needs ~10,100 per process" >&2
fi

out=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
[ -n "$out" ] || out="$here/results/$(date +%Y-%m-%d-%H%M)"

echo "bench-suite: building the modules and benchmarks/target/benchmarks.jar (tests skipped)..."
(cd "$root" && ./mvnw -q -B -DskipTests -pl benchmarks,examples -am package)
# Maven leaves an unchanged jar untouched; mark the launcher's jar fresh so the scale probe's `openenv serve`
# does not rebuild.
touch "$root"/examples/target/openenv-examples-*.jar
commit="$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(cd "$root" && git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit+dirty"; fi

exec "$java_bin" -Xmx2g -cp "$here/target/benchmarks.jar" openenv.benchmarks.Suite \
  --out "$out" --launcher "$root/openenv" --commit "$commit" ${args[@]+"${args[@]}"}

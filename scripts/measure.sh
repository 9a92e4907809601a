#!/usr/bin/env bash
# Measures `reader list` over generated archives of 1k, 10k and 100k files (issue #6) and prints
# a Markdown table: wall time, peak memory, and the ratio to `cat` of the same files.
#
# Usage: scripts/measure.sh [WORKDIR]        (default WORKDIR: /tmp/reader-measure)
# Environment:
#   SIZES="1000 10000 100000"   file counts to measure
#   RUNS=5                      timed runs per measurement (the median is reported)
#   SEED=1                      corpus seed (same seed, same files)
#   CPUS=0                      optional: pin reader and cat to these CPUs with taskset
#   NICE=-15                    optional: run reader and cat at this priority (needs root; this
#                               session's scheduling group too), so that other work on a shared
#                               machine disturbs the timings less
#   NO_BUILD=1                  skip `cargo build --release` (use the existing binaries)
#   READER=PATH                 measure another `reader` binary
#
# All runs are warm-cache: each corpus is read once before timing. Corpora are generated once
# and reused while their marker file says they were made with the same seed and count.
set -euo pipefail
cd "$(dirname "$0")/.."

WORKDIR=${1:-/tmp/reader-measure}
SIZES=${SIZES:-"1000 10000 100000"}
RUNS=${RUNS:-5}
SEED=${SEED:-1}
TIME=/usr/bin/time

if [ ! -x "$TIME" ]; then
  echo "measure: $TIME missing; installing GNU time" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

if [ -z "${NO_BUILD:-}" ]; then
  # One job: the machine is shared, and the build is not what we measure.
  cargo build --release -j1 --bin reader --example gen_corpus >&2
fi
READER=${READER:-$PWD/target/release/reader}
GEN=$PWD/target/release/examples/gen_corpus

pin=()
if [ -n "${NICE:-}" ]; then
  pin=(nice -n "$NICE")
  # With autogroup scheduling, nice only ranks processes within one session; raise the
  # session's own group too, or the other sessions' work still takes most of the CPUs.
  # The group outlives the script (it is the caller's session): put it back on exit.
  if [ -w /proc/$$/autogroup ]; then
    old_group_nice=$(awk '{print $3}' /proc/$$/autogroup)
    echo "$NICE" >/proc/$$/autogroup || true
  fi
fi
if [ -n "${CPUS:-}" ]; then pin+=(taskset -c "$CPUS"); fi

mkdir -p "$WORKDIR"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; if [ -n "${old_group_nice:-}" ]; then echo "$old_group_nice" >/proc/$$/autogroup; fi' EXIT

now_ns() { date +%s%N; }

# median of numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {m=int((NR+1)/2); print a[m]}'; }
# smallest number on stdin
least() { sort -g | head -1; }

# run_timed NAME CMD...: RUNS timed runs; leaves "wall_s max_rss_kib cpu_s min_wall_s" in $tmp/NAME
# (medians, then the fastest run: noise from other work only ever adds time).
# CPU time (user + system) is reported too: unlike wall time it hardly moves when other work
# shares the machine, so it tells a slow program from a busy machine.
run_timed() {
  local name=$1; shift
  "$@" >/dev/null 2>&1 || true # warm the page cache and the binary
  : >"$tmp/$name.wall"; : >"$tmp/$name.rss"; : >"$tmp/$name.cpu"
  for _ in $(seq "$RUNS"); do
    local t0 t1 status=0
    t0=$(now_ns)
    "$TIME" -v -o "$tmp/$name.time" "$@" >/dev/null 2>"$tmp/$name.err" || status=$?
    t1=$(now_ns)
    # `reader list` exits 1 when it met broken files (they are part of the corpus); worse is a failure.
    if [ "$status" -gt 1 ]; then
      echo "measure: $name failed with status $status:" >&2
      tail -5 "$tmp/$name.err" >&2
      exit 1
    fi
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f\n", (b - a) / 1e9}' >>"$tmp/$name.wall"
    awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/$name.time" >>"$tmp/$name.rss"
    awk -F': ' '/User time|System time/ {s += $2} END {printf "%.3f\n", s}' "$tmp/$name.time" >>"$tmp/$name.cpu"
  done
  echo "$(median <"$tmp/$name.wall") $(median <"$tmp/$name.rss") $(median <"$tmp/$name.cpu") $(least <"$tmp/$name.wall")" >"$tmp/$name"
}

rows=()
load=$(cut -d' ' -f1-3 /proc/loadavg)
for n in $SIZES; do
  dir=$WORKDIR/corpus-$n
  marker=$dir/.generated-seed-$SEED-count-$n
  if [ ! -e "$marker" ]; then
    rm -rf "$dir"
    "${pin[@]}" "$GEN" --count "$n" --out "$dir" --seed "$SEED" >&2
    touch "$marker"
  fi
  files=$(find "$dir" -type f -not -name '.*' | wc -l)
  mb=$(find "$dir" -type f -not -name '.*' -printf '%s\n' | awk '{s += $1} END {printf "%.1f", s / 1e6}')
  listed=$("$READER" list "$dir" 2>/dev/null | wc -l || true)

  run_timed "list-$n" "${pin[@]}" "$READER" list "$dir"
  run_timed "cat-$n" "${pin[@]}" sh -c "find '$dir' -type f -not -name '.*' -print0 | xargs -0 cat"

  read -r wall rss cpu best <"$tmp/list-$n"
  read -r cwall _ ccpu cbest <"$tmp/cat-$n"
  rows+=("$(awk -v n="$files" -v mb="$mb" -v l="$listed" -v w="$wall" -v b="$best" -v r="$rss" -v u="$cpu" -v c="$cwall" -v cb="$cbest" -v cu="$ccpu" 'BEGIN {
    printf "| %d | %s | %d | %.3f (%.3f) | %.1f | %.3f | %.1f | %.3f (%.3f) | %.3f | %.2f |", n, mb, l, w, b, r / 1024, u, u * 1e6 / n, c, cb, cu, w / c }')")
  echo "measure: $n files done" >&2
done

echo
echo "| files | MB | listed | \`reader list\` wall, median (best) s | peak RSS (MiB) | CPU (s) | CPU µs per file | \`cat\` wall, median (best) s | \`cat\` CPU (s) | wall ratio to cat |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
echo "Median of $RUNS warm-cache runs; seed $SEED; $(nproc) CPUs${CPUS:+ (pinned to $CPUS)}${NICE:+; nice $NICE}; load average before: $load; $(date -u '+%Y-%m-%d %H:%M UTC')."

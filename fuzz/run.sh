#!/usr/bin/env bash
# Runs fuzz targets one after another, each for RUNS executions (default 10,000,000) or
# SECONDS_EACH seconds, whichever comes first, on the stable toolchain (no sanitizer: the
# crate has no unsafe code; libFuzzer's coverage guidance is what matters).
#   bash fuzz/run.sh                       # every target
#   RUNS=1000000 bash fuzz/run.sh model_text survey_csv
#   WORKERS=2 bash fuzz/run.sh stream_split   # two processes on one corpus, RUNS split
# Crashes land in fuzz/artifacts/<target>/; the last line of fuzz/logs/<target>.log gives
# the executions done and their rate. Copy a crash into tests/fixtures/fuzz/<target>/ once
# it is fixed, so that tests/fuzz_regressions.rs replays it.
set -uo pipefail
cd "$(dirname "$0")"
RUNS=${RUNS:-10000000}
SECONDS_EACH=${SECONDS_EACH:-3600}
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(model_text model_json moments_json resample_text kano_csv servqual_csv survey_csv survey_stream stream_split excel spss ordinal)
mkdir -p logs
[ -d corpus ] || bash seed.sh
[ -n "${SKIP_BUILD:-}" ] || cargo fuzz build --sanitizer none -O
WORKERS=${WORKERS:-1}
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  # stream_split repeats its input (at most 64 times, at most about 16 KiB in all) over 4 KiB
  # blocks: 1 KiB inputs already give several block boundaries, and every finding so far was
  # under 256 bytes.
  max_len=8192
  [ "$t" = stream_split ] && max_len=1024
  echo "== $t ($WORKERS worker(s), $RUNS executions in all)"
  # WORKERS processes share the corpus and split the executions; each has its own log.
  logs=()
  for w in $(seq 1 "$WORKERS"); do
    log="logs/$t.log"
    [ "$WORKERS" -gt 1 ] && log="logs/$t.w$w.log"
    ./target/x86_64-unknown-linux-gnu/release/"$t" "corpus/$t" \
      -runs=$((RUNS / WORKERS)) -max_total_time="$SECONDS_EACH" -max_len="$max_len" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="artifacts/$t/" \
      > "$log" 2>&1 &
    logs+=("$log")
  done
  wait
  for log in "${logs[@]}"; do
    echo "$log: $(grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec|Done' "$log" | tr '\n' ' ')"
  done
done

#!/usr/bin/env bash
# Runs every fuzz target in turn for SECONDS each (default 60) with the nightly toolchain, from
# the seed pages in fuzz/seeds and what earlier runs found (fuzz/corpus, not committed), and
# prints a table: executions, crashes, and for the differential target how often the quick
# parser answered. A crash's input is left in fuzz/artifacts/TARGET/; copy it under
# tests/fixtures/crashes/ (named for what it exercises) so that cargo test replays it.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(extract_html extract_text decode query quick_vs_html5ever guard_vs_html5ever containers)
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
dict_for() {
  case "$1" in
    extract_html|quick_vs_html5ever|guard_vs_html5ever|decode) echo "-dict=html.dict" ;;
    extract_text) echo "-dict=text.dict" ;;
    *) echo "" ;;
  esac
}
mkdir -p logs
printf '%-20s %12s %8s %s\n' target executions crashes notes
status=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  before=$(ls "artifacts/$t" | wc -l)
  # -rss_limit_mb: a page must never cost more than a few hundred megabytes.
  # The differential target starts from its own seeds and the extraction target's pages.
  seeds=("seeds/$t")
  [ "$t" = quick_vs_html5ever ] && seeds+=(seeds/extract_html)
  [ "$t" = guard_vs_html5ever ] && seeds=(seeds/extract_html)
  cargo +nightly fuzz run "$t" "corpus/$t" "${seeds[@]}" -- \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=1024 -timeout=10 \
    -print_final_stats=1 $(dict_for "$t") > "logs/$t.log" 2>&1
  after=$(ls "artifacts/$t" | wc -l)
  runs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' | tail -1)
  note=$(grep -ao 'quick parser answered [0-9]* of [0-9]* inputs' "logs/$t.log" | tail -1)
  crashes=$((after - before))
  [ "$crashes" -gt 0 ] && status=1
  printf '%-20s %12s %8s %s\n' "$t" "${runs:-?}" "$crashes" "$note"
done
exit $status

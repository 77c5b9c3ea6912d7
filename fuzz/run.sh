#!/usr/bin/env bash
# Run every fuzz target (or those named) until its coverage stops growing: rounds of ROUND
# seconds, stopping after a round that grew coverage by less than PLATEAU_PERMILLE ‰ (default
# 5, i.e. 0.5 %) or after MAX seconds of fuzzing. The corpus carries over between rounds and
# runs. Prints one line per target: executions, seconds, coverage per round, corpus, crashes.
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`); run ./seed.sh first.
set -uo pipefail
cd "$(dirname "$0")"
ROUND=${ROUND:-120}
MAX=${MAX:-1800}
PLATEAU_PERMILLE=${PLATEAU_PERMILLE:-5}
targets=("$@")
((${#targets[@]})) || targets=(read_text read_csv read_html read_xlsx read_xls read_ods normalize)
mkdir -p logs
cargo +nightly fuzz build -O >/dev/null 2>&1 || { echo "cargo fuzz build failed" >&2; exit 1; }
for t in "${targets[@]}"; do
    total_runs=0 total_secs=0 last_cov=0 cov=0 ft=0 crashes=0 rounds=""
    : >"logs/$t.log"
    while ((total_secs < MAX)); do
        out=$(cargo +nightly fuzz run -O "$t" -- -max_total_time="$ROUND" -rss_limit_mb=2048 \
            -timeout=10 -print_final_stats=1 2>&1)
        status=$?
        printf '%s\n' "$out" >>"logs/$t.log"
        runs=$(grep -oP 'stat::number_of_executed_units:\s*\K[0-9]+' <<<"$out" | tail -1)
        secs=$(grep -oP '^Done [0-9]+ runs in \K[0-9]+' <<<"$out" | tail -1)
        line=$(grep -E '^#[0-9]+' <<<"$out" | grep -F 'cov:' | tail -1)
        cov=$(grep -oP 'cov: \K[0-9]+' <<<"$line" || echo "$cov")
        ft=$(grep -oP 'ft: \K[0-9]+' <<<"$line" || echo "$ft")
        total_runs=$((total_runs + ${runs:-0}))
        total_secs=$((total_secs + ${secs:-ROUND}))
        rounds="$rounds $cov"
        if ((status != 0)); then
            crashes=$((crashes + 1))
            echo "$t: crash after $total_runs runs; see logs/$t.log and artifacts/$t/" >&2
            break
        fi
        (((cov - last_cov) * 1000 < PLATEAU_PERMILLE * last_cov)) && break
        last_cov=$cov
    done
    corp=$(ls "corpus/$t" | wc -l)
    echo "$t: $total_runs executions in $total_secs s; cov by round:$rounds; ft $ft; corpus $corp; crashes $crashes"
done

#!/usr/bin/env bash
# The inbound hot path against its yardstick, in one run on this machine (127.0.0.1 only; stops by itself):
#
#   1. the bare route (bench/BareRoute.java: the same signature check and TwiML, no database, nothing else), warmed
#      up, then ROUNDS rounds of ROUND seconds as fast as wrk sends: its saturation rate;
#   2. Switchboard's packaged jar, started from its class archive, driven from the moment it is ready: ROUNDS rounds
#      (the first FIRST_ROUND long, the others ROUND) as fast as wrk sends, each call distinct. The warm-up is the rate
#      10-15 s after ready by the service's own count against the steady rate; the last rounds give its saturation;
#   3. Switchboard at half its saturation rate (connections that pause between requests): p99;
#   4. every call Switchboard answered 2xx is in the database (events counted once the write-behind queue drained).
#
#   bench/hotpath.sh                 # about 4 minutes
#   ROUNDS=6 ROUND=10s bench/hotpath.sh
#
# wrk with one thread and 64 connections, the service and the bare route on the same JVM and options (the serial
# collector, an 80 MiB heap), PostgreSQL 17 with synchronous_commit on, all on the same cores.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUND=${ROUND:-10s}
FIRST_ROUND=${FIRST_ROUND:-20s}
ROUNDS=${ROUNDS:-6}
WARMUP=${WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=1
NUMBERS=${NUMBERS:-1000}
ROUND_CALLS=${ROUND_CALLS:-600000}   # distinct calls a round can send, more than one round takes
HALF_DURATION=${HALF_DURATION:-20s}
HALF_DELAY_MS=${HALF_DELAY_MS:-10}   # the pause of each connection at half rate: connections = rate x (pause + 1 ms)
TRAIN_LOAD=${TRAIN_LOAD:-20s}        # the training start serves this long before it writes the archive
MEASURED_OPTS=${MEASURED_OPTS:-}     # more JVM options for the measured start only, e.g. -XX:StartFlightRecording=...
SERVICE_JAVA_OPTS=${SERVICE_JAVA_OPTS:--Xmx80m -Xms80m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=16m -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1}
PORT=${PORT:-18080}
RESULTS_SUFFIX=-hotpath
. bench/common.sh

BASE="http://127.0.0.1:$PORT"
# The first start migrates the schema for the seed; with the class archive on, it is also the training start, under
# load so that the archive holds the hot path's method profiles (Java 25), and it writes the archive as it exits.
echo "first start: $TRAIN_OPTS" >&2
SERVICE_JAVA_OPTS=$(sed -E 's/-XX:MaxMetaspaceSize=[^ ]+//' <<< "$SERVICE_JAVA_OPTS") service $TRAIN_OPTS
java -cp "$CP" bench/BenchSetup.java seed "$JDBC" "$KEY" "$BASE" "$WORK" "$NUMBERS" 20000 0 >&2
echo "writing $((ROUNDS + 2)) files of $ROUND_CALLS signed calls" >&2
writers=()
for r in train half $(seq 1 "$ROUNDS"); do
  java -cp "$CP" bench/BenchSetup.java inbound "$WORK/numbers.txt" "$BASE" "$WORK/calls-$r.txt" "$ROUND_CALLS" &
  writers+=($!)
done
wait "${writers[@]}"
seeded "$NUMBERS"
if [ -n "$TRAIN_OPTS" ]; then
  run calls-train.txt "$TRAIN_LOAD" 1 > /dev/null
  drained
fi
kill $SERVICE; wait $SERVICE 2>/dev/null || true
[ -z "$TRAIN_OPTS" ] || [ -s "${TRAIN_OPTS#*=}" ] || { echo "the training start wrote no archive" >&2; cat "$WORK/service.log" >&2; exit 1; }
recorded_before=$(java -cp "$CP" bench/BenchSetup.java count "$JDBC" voice-inbound)

cpu_ms() { # pids...: the CPU time those processes have used so far, in milliseconds
  local ticks=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] && ticks=$((ticks + $(sed -E 's/.*\) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
  done
  echo $((ticks * 1000 / $(getconf CLK_TCK)))
}
postgres_pids() { # the benchmark's PostgreSQL: the server listening on its port and every process it started
  local server
  server=$(ss -ltnpH "sport = :$PGPORT" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
  echo "$server $(pgrep -P "$server" | tr '\n' ' ')"
}
per_call() { # cpu ms before, after, calls: microseconds of CPU a call
  awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN {printf "%.1f", (n > 0 ? (b - a) * 1000 / n : 0)}'
}
rate_of() { awk '/Requests\/sec/ {printf "%d", $2}'; }
p_of() { awk -v p="latency_p$1_ms" -F= '$1 == p {print $2}'; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

# Not a pipeline into tee: the processes started below must stay this shell's, for the cleanup to stop them.
exec > >(tee "$RESULTS")
{
  echo "# $(date -u +%FT%TZ) $(nproc) cores, wrk -t1 -c$CONNECTIONS on the same machine, $NUMBERS numbers, Java $JAVA_MAJOR"
  echo "service_java_opts=$SERVICE_JAVA_OPTS"
  echo "## bare route: warm-up $WARMUP, then $ROUNDS rounds of $ROUND"
  "$JAVA" $SERVICE_JAVA_OPTS -cp "$CP" bench/BareRoute.java "$PORT" "$BASE" "$WORK/numbers.txt" > "$WORK/bare.log" 2>&1 &
  BARE=$!
  pids+=($BARE)
  until grep -q listening "$WORK/bare.log"; do kill -0 $BARE || { cat "$WORK/bare.log"; exit 1; }; sleep 0.1; done
  run inbound-warmup.txt "$WARMUP" 0 > /dev/null
  bare_rates=""
  for r in $(seq 1 "$ROUNDS"); do
    cpu_before=$(cpu_ms $BARE)
    run inbound-warmup.txt "$ROUND" 0 > "$WORK/round.txt"
    out=$(cat "$WORK/round.txt")
    rate=$(rate_of <<< "$out")
    bare_rates="$bare_rates $rate"
    calls=$(awk -F'[= ]' '/answers_total/ {print $2}' <<< "$out")
    echo "bare round $r: $rate/s p50 $(p_of 50 <<< "$out") ms p99 $(p_of 99 <<< "$out") ms $(grep answers_ <<< "$out")" \
      "cpu_us_per_call=$(per_call "$cpu_before" "$(cpu_ms $BARE)" "$calls")"
  done
  kill $BARE; wait $BARE 2>/dev/null || true
  # the saturation rate: the median of the last half of the rounds (the first ones may still be warming up)
  bare=$(tr ' ' '\n' <<< "$bare_rates" | grep . | tail -n $(( (ROUNDS + 1) / 2 )) | median)
  echo "bare_route_rate=$bare"


  echo "## Switchboard from ready: $ROUNDS rounds of $ROUND, each call distinct"
  start=$(date +%s%N)
  service $ARCHIVE_OPTS ${MEASURED_OPTS:-}
  ready=$(date +%s%N)
  echo "startup_ms=$(( (ready - start) / 1000000 ))"
  # The inbound calls answered so far, by the service's own count, every 250 ms from ready: the warm-up's timeline.
  (
    while kill -0 $SERVICE 2>/dev/null; do
      echo "$(( ($(date +%s%N) - ready) / 1000000 )) $(curl -s "$BASE/q/metrics" \
        | awk '/^switchboard_webhook_requests_seconds_count\{endpoint="voice_inbound"/ {n += $2} END {printf "%d", n}')"
      sleep 0.25
    done
  ) > "$WORK/timeline.txt" 2>/dev/null &
  pids+=($!)
  answered=0
  rates=""
  for r in $(seq 1 "$ROUNDS"); do
    began=$(( ($(date +%s%N) - ready) / 1000000 ))
    pg=$(postgres_pids)
    cpu_before=$(cpu_ms $SERVICE); pg_before=$(cpu_ms $pg)
    # The first round lasts FIRST_ROUND: wrk loads its calls (a few seconds) after ready, and the warm-up window
    # below, 10-15 s after ready, must fall within its traffic, not in the pause before the next round.
    run "calls-$r.txt" "$([ "$r" = 1 ] && echo "$FIRST_ROUND" || echo "$ROUND")" 1 > "$WORK/round.txt"
    out=$(cat "$WORK/round.txt")
    cpu_after=$(cpu_ms $SERVICE); pg_after=$(cpu_ms $pg)
    rate=$(rate_of <<< "$out")
    rates="$rates $rate"
    ok=$(awk '/answers_total/ {split($1, t, "="); split($2, n, "="); print t[2] - n[2]}' <<< "$out")
    answered=$((answered + ok))
    echo "round $r (from $began ms after ready): $rate/s p50 $(p_of 50 <<< "$out") ms p99 $(p_of 99 <<< "$out") ms" \
      "$(grep answers_ <<< "$out") queued $(metric switchboard_calls_inbound_queued)" \
      "cpu_us_per_call=$(per_call "$cpu_before" "$cpu_after" "$ok") postgres_cpu_us_per_call=$(per_call "$pg_before" "$pg_after" "$ok")"
  done
  steady=$(tr ' ' '\n' <<< "$rates" | grep . | tail -n $(( (ROUNDS + 1) / 2 )) | median)
  echo "switchboard_rate=$steady"
  echo "ratio_to_bare=$(awk -v s="$steady" -v b="$bare" 'BEGIN {printf "%.2f", s / b}')"
  # The rate over the 5 s from 10 s after ready, from the timeline, against the steady rate.
  at10=$(awk '$1 >= 10000 && !a {a = $0} $1 >= 15000 && !b {b = $0} END {split(a, x, " "); split(b, y, " ");
    printf "%d", (y[2] - x[2]) * 1000 / (y[1] - x[1])}' "$WORK/timeline.txt")
  first=$(awk '$2 > 0 {print $1; exit}' "$WORK/timeline.txt")
  echo "rate_10_to_15_s_after_ready=$at10 (first answer about $first ms after ready)"
  echo "warm_at_10_s=$(awk -v s="$steady" -v a="$at10" 'BEGIN {printf "%.2f", a / s}') of the steady rate"
  drained

  half=$((steady / 2))
  half_connections=$(( half * (HALF_DELAY_MS + 1) / 1000 ))
  echo "## Switchboard at half its saturation rate: $half/s wanted, $half_connections connections pausing ${HALF_DELAY_MS} ms, $HALF_DURATION"
  out=$(run calls-half.txt "$HALF_DURATION" 1 "$half_connections" "$HALF_DELAY_MS")
  echo "$out"
  answered=$((answered + $(awk '/answers_total/ {split($1, t, "="); split($2, n, "="); print t[2] - n[2]}' <<< "$out")))
  drained
  echo "## recording"
  recorded=$(( $(java -cp "$CP" bench/BenchSetup.java count "$JDBC" voice-inbound) - recorded_before ))
  echo "answered_2xx=$answered recorded_inbound_calls=$recorded dropped_total=$(dropped) refused_total=$(metric switchboard_calls_inbound_refused_total)"
  echo "rss_mb_after_load=$(( $(ps -o rss= -p $SERVICE) / 1024 ))"
}

#!/usr/bin/env bash
# Switchboard's load harness: the packaged service on a real PostgreSQL, driven by wrk with requests signed as Twilio
# signs them, on this machine only (127.0.0.1). Stops by itself; prints one line per figure and keeps a copy in
# bench/results/.
#
#   bench/run.sh                 # everything: start-up, inbound calls, status callbacks, memory
#   DURATION=30s bench/run.sh    # longer measured runs
#   JAVA=/usr/lib/jvm/java-17-openjdk-amd64/bin/java bench/run.sh   # the service on another JVM
#
# Builds with the project's JDK (17); runs the service on $JAVA, by default the newest JDK under /usr/lib/jvm. Before
# the measured start, one training start writes the class archive the service starts from, as the image does
# (src/main/docker/Dockerfile.jvm): an ahead-of-time cache on Java 25 or later, a dynamic CDS archive before.
# Installs wrk from Debian's packages if missing. The load generator shares the machine with the service: on 2 cores
# it takes about one of them.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-1}
NUMBERS=${NUMBERS:-1000}
CALLBACKS=${CALLBACKS:-400000}
INBOUND_CALLS=${INBOUND_CALLS:-700000}   # distinct calls per inbound run: more than a run can send
RATE_CONNECTIONS=${RATE_CONNECTIONS:-125}
RATE_DELAY_MS=${RATE_DELAY_MS:-3}       # each connection pauses this long between requests: about 20,000/s in all
ONLY=${ONLY:-all}             # all | inbound | steady (inbound at the steady rate only) | callbacks
# The service's JVM options: a small heap, one allocation arena (glibc and Netty): resident memory under 300 MB.
SERVICE_JAVA_OPTS=${SERVICE_JAVA_OPTS:--Xmx80m -Xms80m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=16m -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1}
PORT=${PORT:-18080}
. bench/common.sh

if [ -n "$TRAIN_OPTS" ]; then
  echo "training start on Java $JAVA_MAJOR: $TRAIN_OPTS" >&2
  # Writing the archive needs more class space than the service's cap: the training start runs without it.
  SERVICE_JAVA_OPTS=$(sed -E 's/-XX:MaxMetaspaceSize=[^ ]+//' <<< "$SERVICE_JAVA_OPTS") service $TRAIN_OPTS
  kill $SERVICE; wait $SERVICE 2>/dev/null || true
  [ -s "${TRAIN_OPTS#*=}" ] || { echo "the training start wrote no archive" >&2; cat "$WORK/service.log" >&2; exit 1; }
fi
start=$(date +%s%N)
service $ARCHIVE_OPTS
startup_ms=$(( ($(date +%s%N) - start) / 1000000 ))

java -cp "$CP" bench/BenchSetup.java seed "$JDBC" "$KEY" "http://127.0.0.1:$PORT" "$WORK" "$NUMBERS" "$INBOUND_CALLS" "$CALLBACKS" >&2
seeded "$NUMBERS"

{
  echo "# $(date -u +%FT%TZ) $(nproc) cores, wrk -t$WRK_THREADS -c$CONNECTIONS on the same machine, $NUMBERS numbers"
  echo "startup_ms=$startup_ms"
  echo "service_java=$JAVA_MAJOR $ARCHIVE_OPTS"
  echo "service_java_opts=$SERVICE_JAVA_OPTS"
  if [ "$ONLY" != callbacks ]; then
    run inbound-warmup.txt "$WARMUP" 0 >/dev/null
    drained
    before=$(dropped)
    if [ "$ONLY" != steady ]; then
      echo "## inbound calls, as fast as they come (signed webhook -> routing TwiML, each call distinct), $DURATION"
      run inbound-max.txt "$DURATION" 1
      # Each measured run starts with the write-behind queue empty, not with the previous run's backlog.
      drained
      echo "inbound_calls_not_recorded=$(( $(dropped) - before )) (write-behind queue full)"
      before=$(dropped)
    fi
    echo "## inbound calls at a steady rate ($RATE_CONNECTIONS connections, ${RATE_DELAY_MS} ms pause each), $DURATION"
    run inbound-rate.txt "$DURATION" 1 "$RATE_CONNECTIONS" "$RATE_DELAY_MS"
    drained
    echo "inbound_calls_not_recorded=$(( $(dropped) - before )) (write-behind queue full)"
    echo "recorded_inbound_calls=$(java -cp "$CP" bench/BenchSetup.java count "$JDBC" voice-inbound)"
    curl -s "http://127.0.0.1:$PORT/q/metrics" | grep -E "^switchboard_calls_inbound_(dropped|refused)" || true
  fi
  if [ "$ONLY" != inbound ] && [ "$ONLY" != steady ]; then
    echo "## status callbacks (signed, each distinct, stored before 204), $DURATION"
    run status.txt "$DURATION" 1
    echo "stored_voice_status_events=$(java -cp "$CP" bench/BenchSetup.java count "$JDBC" voice-status)"
  fi
  echo "rss_mb_after_load=$(( $(ps -o rss= -p $SERVICE) / 1024 ))"
  if [ -n "${NMT:-}" ]; then jcmd $SERVICE VM.native_memory summary | grep -E "committed" | head -25; fi
} | tee "$RESULTS"

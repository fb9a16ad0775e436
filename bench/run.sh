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
java_major() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'; }
if [ -z "${JAVA:-}" ]; then
  JAVA=java
  for candidate in /usr/lib/jvm/*/bin/java; do
    [ "$(java_major "$candidate")" -gt "$(java_major "$JAVA")" ] && JAVA=$candidate
  done
fi
TRAIN=${TRAIN:-1}             # 0: start without a class archive
KEY="REVWLU9OTFktc3dpdGNoYm9hcmQtTk9ULVNFQ1JFVCE="
WORK=$(mktemp -d)
RESULTS=bench/results/$(date -u +%Y%m%dT%H%M%SZ).txt
mkdir -p bench/results
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

if ! command -v wrk >/dev/null; then
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
fi

echo "building the production jar and the helper's class path" >&2
./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="target/classes:target/test-classes:$(cat "$WORK/cp.txt")"

java -Dbench.synchronous-commit="${SYNCHRONOUS_COMMIT:-on}" -cp "$CP" bench/BenchSetup.java db "$WORK/pgport" > "$WORK/db.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$WORK/pgport" ] && break; sleep 0.2; done
PGPORT=$(cat "$WORK/pgport")
JDBC="jdbc:postgresql://localhost:$PGPORT/postgres"

JAR=$(ls target/*-runner.jar)
JAVA_MAJOR=$(java_major "$JAVA")
if [ "$JAVA_MAJOR" -ge 25 ]; then
  TRAIN_OPTS="-XX:AOTCacheOutput=$WORK/app.aot"; ARCHIVE_OPTS="-XX:AOTCache=$WORK/app.aot"
else
  TRAIN_OPTS="-XX:ArchiveClassesAtExit=$WORK/app.jsa"; ARCHIVE_OPTS="-XX:SharedArchiveFile=$WORK/app.jsa"
fi
[ "$TRAIN" = 1 ] || { TRAIN_OPTS=""; ARCHIVE_OPTS=""; }

service() { # java options...: starts the service in the background, waits until it is ready; sets SERVICE
  ADMIN_TOKEN=$(head -c 32 /dev/urandom | base64) SECRETS_ENCRYPTION_KEY=$KEY TWILIO_WEBHOOK_PUBLIC_BASE_URL="http://127.0.0.1:$PORT" \
  QUARKUS_HTTP_PORT=$PORT QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://localhost:$PGPORT/postgres" \
  QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres \
    MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-1} "$JAVA" $SERVICE_JAVA_OPTS "$@" -jar "$JAR" > "$WORK/service.log" 2>&1 &
  SERVICE=$!
  pids+=($SERVICE)
  until curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null; do
    kill -0 $SERVICE 2>/dev/null || { cat "$WORK/service.log" >&2; exit 1; }
    sleep 0.02
  done
}

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
until curl -s "http://127.0.0.1:$PORT/q/health/ready" | grep -q "\"numbers\": $NUMBERS" &&
  curl -s "http://127.0.0.1:$PORT/q/health/ready" | grep -q '"accounts": 1'; do sleep 0.1; done

run() { # file, duration, once, [connections], [delay ms]: prints requests/s, answers by class, latency percentiles
  BENCH_FILE="$WORK/$1" BENCH_THREADS=$WRK_THREADS BENCH_ONCE=$3 BENCH_DELAY_MS=${5:-0} \
    wrk -t"$WRK_THREADS" -c"${4:-$CONNECTIONS}" -d"$2" --latency -s bench/signed.lua "http://127.0.0.1:$PORT" \
    > "$WORK/wrk.out"
  local total non2xx errors
  total=$(awk '/requests in/ {print $1}' "$WORK/wrk.out")
  non2xx=$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$WORK/wrk.out")
  errors=$(awk '/Socket errors/ {print}' "$WORK/wrk.out")
  grep -E "Requests/sec|latency_p" "$WORK/wrk.out"
  echo "answers_total=$total answers_non_2xx=${non2xx:-0} ${errors}"
}

drained() { # the answers are given before the calls are written (write-behind): wait for the writer to catch up
  for _ in $(seq 1 60); do
    queued=$(curl -s "http://127.0.0.1:$PORT/q/metrics" | awk '/^switchboard_calls_inbound_queued/ {print int($2)}')
    [ "${queued:-0}" -eq 0 ] && break
    sleep 1
  done
}
dropped() { # inbound calls answered but not recorded so far (the write-behind queue was full)
  curl -s "http://127.0.0.1:$PORT/q/metrics" | awk '/^switchboard_calls_inbound_dropped_total/ {print int($2)}'
}

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

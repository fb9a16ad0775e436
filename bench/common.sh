# What bench/run.sh and bench/hotpath.sh share: the JVM, the build, the PostgreSQL, starting the service and driving
# it with wrk. Sourced, not run; the caller sets PORT, SERVICE_JAVA_OPTS, WRK_THREADS and CONNECTIONS first.

java_major() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'; }
if [ -z "${JAVA:-}" ]; then
  JAVA=java
  for candidate in /usr/lib/jvm/*/bin/java; do
    [ "$(java_major "$candidate")" -gt "$(java_major "$JAVA")" ] && JAVA=$candidate
  done
fi
JAVA_MAJOR=$(java_major "$JAVA")
TRAIN=${TRAIN:-1}             # 0: start without a class archive
KEY="REVWLU9OTFktc3dpdGNoYm9hcmQtTk9ULVNFQ1JFVCE="
WORK=$(mktemp -d)
mkdir -p bench/results
RESULTS=bench/results/$(date -u +%Y%m%dT%H%M%SZ)${RESULTS_SUFFIX:-}.txt
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
JAR=$(ls target/*-runner.jar)

java -Dbench.synchronous-commit="${SYNCHRONOUS_COMMIT:-on}" -cp "$CP" bench/BenchSetup.java db "$WORK/pgport" > "$WORK/db.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$WORK/pgport" ] && break; sleep 0.2; done
PGPORT=$(cat "$WORK/pgport")
JDBC="jdbc:postgresql://localhost:$PGPORT/postgres"

if [ "$JAVA_MAJOR" -ge 25 ]; then
  TRAIN_OPTS="-XX:AOTCacheOutput=$WORK/app.aot"; ARCHIVE_OPTS="-XX:AOTCache=$WORK/app.aot"
else
  TRAIN_OPTS="-XX:ArchiveClassesAtExit=$WORK/app.jsa"; ARCHIVE_OPTS="-XX:SharedArchiveFile=$WORK/app.jsa"
fi
[ "$TRAIN" = 1 ] || { TRAIN_OPTS=""; ARCHIVE_OPTS=""; }

service() { # java options...: starts the service in the background, waits until it is ready; sets SERVICE
  if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
    echo "something already listens on port $PORT: stop it first, or set PORT" >&2
    exit 1
  fi
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

seeded() { # numbers: waits until the service has loaded that many numbers and the seeded account's keys
  local ready
  for _ in $(seq 1 600); do
    ready=$(curl -s "http://127.0.0.1:$PORT/q/health/ready")
    [[ "$ready" == *"\"numbers\": $1"* && "$ready" == *'"accounts": 1'* ]] && return 0
    sleep 0.1
  done
  echo "the service did not load the seeded numbers" >&2
  return 1
}
metric() { # name: the service's value of that metric, as a whole number (0 when absent)
  curl -s "http://127.0.0.1:$PORT/q/metrics" | awk -v name="$1" '$1 == name {v = int($2)} END {print v + 0}'
}
drained() { # the answers are given before the calls are written (write-behind): wait for the writer to catch up
  for _ in $(seq 1 60); do
    [ "$(metric switchboard_calls_inbound_queued)" -eq 0 ] && break
    sleep 1
  done
}
dropped() { # inbound calls answered but not recorded so far (the write-behind queue was full)
  metric switchboard_calls_inbound_dropped_total
}

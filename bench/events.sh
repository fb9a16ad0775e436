#!/usr/bin/env bash
# Switchboard's event delivery run: the packaged service (two replicas sharing one PostgreSQL) delivers the events of
# 1,000 calls, 10 each, to a receiver on this machine (127.0.0.1 only), then again with the receiver failing 20% of
# attempts and stopped for 2 s once. Reports events/s, the delay from each change to its delivery (p50, p99, max),
# events lost (0), calls out of order (0) and duplicates (see bench/Events.java). Stops by itself (EVENTS_DEADLINE_S,
# 600 s by default); a few minutes after the build.
#
#   bench/events.sh
#   EVENTS_CALLS=200 EVENTS_RATE=500 EVENTS_REPLICAS=1 bench/events.sh
#
# Exit status 0 when nothing was lost or out of order in either run, 1 when something was, 2 when it ran out of time.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=$(mktemp -d)
RESULTS=bench/results/events-$(date -u +%Y%m%dT%H%M%SZ).txt
mkdir -p bench/results
trap 'rm -rf "$WORK"' EXIT

echo "building the production jar and the helper's class path" >&2
./mvnw -B -o -q package -DskipTests
./mvnw -B -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="target/classes:target/test-classes:$(cat "$WORK/cp.txt")"
SERVICE_JAR=$(ls target/*-runner.jar)

set +e
java -cp "$CP" bench/Events.java "$SERVICE_JAR" "$WORK" | tee "$RESULTS"
status=${PIPESTATUS[0]}
set -e
for log in "$WORK"/service-*.log; do
    cp "$log" "${RESULTS%.txt}-$(basename "$log")" 2>/dev/null || true
done
echo "report: $RESULTS" >&2
exit "$status"

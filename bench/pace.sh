#!/usr/bin/env bash
# Switchboard's pace run: a batch of calls (2,000 by default) placed by two replicas of the packaged service sharing
# one PostgreSQL, against a Twilio simulator enforcing the account's calls per second (50 by default) as Twilio does,
# each in a process of its own, on this machine only (127.0.0.1). Reports achieved pace / allowed pace, the most calls
# in any one second, calls over the limit (0) and duplicates (0) (see bench/Pace.java). Stops by itself
# (PACE_DEADLINE_S, 300 s by default); about a minute and a half after the builds.
#
#   bench/pace.sh
#   PACE_CALLS=600 PACE_CPS=10 PACE_REPLICAS=3 bench/pace.sh
#
# The simulator is the dev build of the service (-Pdev, in target/dev); the replicas run the production jar.
# Exit status 0 when every figure holds, 1 when one does not, 2 when the run could not finish in time.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=$(mktemp -d)
RESULTS=bench/results/pace-$(date -u +%Y%m%dT%H%M%SZ).txt
mkdir -p bench/results
trap 'rm -rf "$WORK"' EXIT

echo "building the production jar, the simulator's dev build and the helper's class path" >&2
./mvnw -B -o -q package -DskipTests
./mvnw -B -o -q package -Pdev -Dquarkus.profile=dev -DskipTests
./mvnw -B -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="target/classes:target/test-classes:$(cat "$WORK/cp.txt")"
SERVICE_JAR=$(ls target/*-runner.jar)
SIMULATOR_JAR=$(ls target/dev/*-runner.jar)

set +e
java -cp "$CP" bench/Pace.java "$SERVICE_JAR" "$SIMULATOR_JAR" "$WORK" | tee "$RESULTS"
status=${PIPESTATUS[0]}
set -e
for log in "$WORK"/service-*.log; do
    cp "$log" "${RESULTS%.txt}-$(basename "$log")" 2>/dev/null || true
done
echo "report: $RESULTS" >&2
exit "$status"

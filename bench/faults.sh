#!/usr/bin/env bash
# Switchboard's fault run: the packaged service against a PostgreSQL and a Twilio simulator, each in a process of its
# own, on this machine only (127.0.0.1). During a batch of outbound calls, with inbound calls and status callbacks
# flowing, it kills the service (SIGKILL) and starts it again, freezes it (SIGSTOP), freezes PostgreSQL, then kills
# every PostgreSQL process and starts it again on the same data. It then waits for reconciliation and reports callbacks
# answered 2xx against stored, calls left live, calls whose status is not Twilio's and calls placed twice (see
# bench/Faults.java). Stops by itself (FAULTS_DEADLINE_S, 600 s by default); about three minutes after the builds.
#
#   bench/faults.sh
#   FAULTS_CALLS=600 FAULTS_CPS=10 bench/faults.sh
#
# The simulator is the dev build of the service (its src/dev tools, -Pdev), packaged into target/dev and run in the
# dev profile with its own embedded database; the service under test is the production jar, in the prod profile.
# Exit status 0 when every figure holds, 1 when one does not, 2 when the run could not finish in time.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=$(mktemp -d)
RESULTS=bench/results/faults-$(date -u +%Y%m%dT%H%M%SZ).txt
mkdir -p bench/results
trap 'rm -rf "$WORK"' EXIT

echo "building the production jar, the simulator's dev build and the helper's class path" >&2
./mvnw -B -q package -DskipTests
./mvnw -B -q package -Pdev -Dquarkus.profile=dev -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="target/classes:target/test-classes:$(cat "$WORK/cp.txt")"
SERVICE_JAR=$(ls target/*-runner.jar)
SIMULATOR_JAR=$(ls target/dev/*-runner.jar)

set +e
java -cp "$CP" bench/Faults.java "$SERVICE_JAR" "$SIMULATOR_JAR" "$WORK" | tee "$RESULTS"
status=${PIPESTATUS[0]}
set -e
cp "$WORK/service.log" "${RESULTS%.txt}-service.log" 2>/dev/null || true
echo "report: $RESULTS" >&2
exit "$status"

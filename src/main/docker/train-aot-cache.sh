#!/bin/sh
# One training start of the packaged service, run while the image is built: against a throwaway PostgreSQL it
# migrates, loads and initializes everything a real start does, and on exit the JVM writes the ahead-of-time cache
# (Java 25) that every start of the image then maps instead of loading, verifying and linking ~14,000 classes.
# The cache is only valid for this exact JVM, jar and GC: it is made in the image that runs it, with its JAVA_OPTS.
#
#   train-aot-cache.sh JAR CACHE
set -eu
JAR=$1
CACHE=$2
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
DATA=$(mktemp -d)
PG_PORT=55432
HTTP_PORT=18080
chown postgres "$DATA"
su postgres -s /bin/sh -c "$PG_BIN/initdb -D $DATA -U postgres -A trust" >/dev/null
su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $DATA -l $DATA/log -w -o '-p $PG_PORT -k $DATA -c listen_addresses=127.0.0.1' start" >/dev/null

# Throwaway values: nothing of this start is kept but the cache. The heap is a pod's, whatever the build machine has:
# the cache holds compressed object pointers only while the heap stays under 32 GB, as it will at run time.
ADMIN_TOKEN=$(head -c 32 /dev/urandom | base64) SECRETS_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64) \
TWILIO_WEBHOOK_PUBLIC_BASE_URL=http://127.0.0.1:$HTTP_PORT QUARKUS_HTTP_PORT=$HTTP_PORT \
QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:$PG_PORT/postgres \
QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=training-only \
  java ${JAVA_OPTS:-} -Xmx256m -XX:AOTCacheOutput="$CACHE" -jar "$JAR" &
service=$!
tries=0
until curl -sf "http://127.0.0.1:$HTTP_PORT/q/health/ready" >/dev/null; do
  tries=$((tries + 1))
  if [ $tries -gt 600 ] || ! kill -0 $service 2>/dev/null; then
    echo "the training start did not become ready" >&2
    kill $service 2>/dev/null || true
    exit 1
  fi
  sleep 0.1
done
kill $service
wait $service || true
su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $DATA -m fast -w stop" >/dev/null
rm -rf "$DATA"
test -s "$CACHE" || { echo "the training start wrote no cache" >&2; exit 1; }

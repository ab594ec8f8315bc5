#!/bin/sh
# Usage: train-cds.sh APP_JAR ARCHIVE
#
# Writes a class data sharing (CDS) archive for a service: starts it once, up to the end of its
# context refresh (spring.context.exit=onRefresh), and has the JVM write every class it loaded to
# ARCHIVE. A JVM started with -XX:SharedArchiveFile=ARCHIVE maps those classes instead of loading,
# verifying and linking them again, which takes a large part off the start-up time. Then starts it
# once more with the archive required (-Xshare:on), so that an archive the JVM would not map fails
# here instead of being skipped, with a warning, at every start.
#
# APP_JAR is the extracted application (java -Djarmode=tools -jar <exec jar> extract), whose jars
# CDS can map; a fat jar's nested jars it cannot. The archive only fits the JVM build that wrote
# it, so write it with the java that will run the service, and with the collector and heap size the
# service runs with (the Dockerfile's: Serial GC, a heap far below 32 GB so that object pointers are
# compressed alike). The runs need no database or broker: everything they would reach points at a
# closed local port, and nothing is migrated. A service with encrypted routes refuses to start
# without keys, and the console without its client secret, so the runs get random ones, made here and
# used for nothing.
set -eu
app_jar=$1
archive=$2
java=${JAVA:-java}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
key=$(head -c 32 /dev/urandom | base64 | tr -d '\n')

start() {
  "$java" -XX:+UseSerialGC -Xmx256m "$@" -Dspring.context.exit=onRefresh \
    -jar "$app_jar" \
    --server.port=0 \
    --spring.flyway.enabled=false \
    --spring.datasource.url=jdbc:postgresql://127.0.0.1:1/training \
    --spring.kafka.bootstrap-servers=127.0.0.1:1 \
    --spring.kafka.admin.auto-create=false \
    --spring.rabbitmq.port=1 \
    --spring.data.redis.port=1 \
    --messaging.encryption.key.id=training --messaging.encryption.key.secret="$key" \
    --order.card-tokens.key.id=training --order.card-tokens.key.secret="$key" \
    --console.authorization.client-secret=training \
    > "$log" 2>&1
}

if ! start -XX:ArchiveClassesAtExit="$archive"; then
  tail -n 40 "$log" >&2
  echo "train-cds.sh: the training run of $app_jar failed" >&2
  exit 1
fi
if ! start -XX:SharedArchiveFile="$archive" -Xshare:on; then
  tail -n 40 "$log" >&2
  echo "train-cds.sh: the JVM does not map $archive" >&2
  exit 1
fi

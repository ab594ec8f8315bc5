#!/bin/sh
# Run by the one-shot Compose service kafka-setup, as the super user admin, before the services
# start: a SCRAM-SHA-512 user per service of acls.txt (its password from KAFKA_<USER>_PASSWORD, so
# from .env), every topic acls.txt names, and the ACLs of acls.txt. Safe on every start: passwords are
# set again, existing topics are kept, and an ACL the broker already holds is not added twice. A line
# removed from acls.txt is not revoked here: kafka-acls.sh --remove, or a fresh volume.
set -eu
bin=${KAFKA_BIN:-/opt/kafka/bin}
here=$(dirname "$0")
server=${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}
umask 077
admin=$(mktemp)
trap 'rm -f "$admin"' EXIT
printf '%s\n' security.protocol=SASL_PLAINTEXT sasl.mechanism=SCRAM-SHA-512 \
  "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$KAFKA_ADMIN_PASSWORD\";" \
  >"$admin"

grants=$(grep -v -e '^#' -e '^[[:space:]]*$' "$here/acls.txt")

for user in $(echo "$grants" | awk '{print $1}' | sort -u); do
  variable=KAFKA_$(echo "$user" | tr 'a-z-' 'A-Z_')_PASSWORD
  password=$(printenv "$variable") || { echo "$variable is not set (.env)" >&2; exit 1; }
  "$bin/kafka-configs.sh" --bootstrap-server "$server" --command-config "$admin" --alter \
    --entity-type users --entity-name "$user" --add-config "SCRAM-SHA-512=[password=$password]"
done

for topic in $(echo "$grants" | awk '$2 == "topic" {print $3}' | sort -u); do
  # As the routes say (README, How long things are kept). Dead letters wait for the parking lot as
  # long as they may be replayed: messaging.kafka.dead-letter-retention, 7 days. The topics of the
  # routes marked compacted keep the last state of each key for the local tables read from them.
  # orders.events keeps every event forever, for read models rebuilt from its first record. The
  # others keep the broker's default, 7 days. A topic that exists already keeps its settings:
  # kafka-configs.sh --alter changes them.
  case "$topic" in
    *.dlt) retention="--config retention.ms=604800000" ;;
    inventory.products | shipping.tariff) retention="--config cleanup.policy=compact" ;;
    orders.events) retention="--config retention.ms=-1" ;;
    *) retention="" ;;
  esac
  # shellcheck disable=SC2086 # no option, or one option and its value
  "$bin/kafka-topics.sh" --bootstrap-server "$server" --command-config "$admin" --create \
    --if-not-exists --topic "$topic" --partitions 3 --replication-factor 1 $retention
done

# One call per user, resource type and operation, naming all its resources.
echo "$grants" | awk '{print $1, $2, $4}' | sort -u | while read -r user type operation; do
  resources=$(echo "$grants" | awk -v u="$user" -v t="$type" -v o="$operation" \
    '$1 == u && $2 == t && $4 == o {printf " --%s %s", t, $3}')
  # shellcheck disable=SC2086 # one word per option and name
  "$bin/kafka-acls.sh" --bootstrap-server "$server" --command-config "$admin" --add \
    --allow-principal "User:$user" --operation "$operation" $resources
done
echo "kafka-setup: users, topics and ACLs of acls.txt are in place"

#!/usr/bin/env bash
# Makes the AES-256 master keys of the encrypted message types and order-service's key for stored
# card tokens (32 random bytes in base64 each), and stores them as the Secrets the Deployments
# mount, each with only the keys its service needs (least privilege):
#   order-service-encryption     payment1.key, shipping1.key, cards1.key
#   payment-service-encryption   payment1.key   (payment.authorize.v1 carries the card token)
#   shipping-service-encryption  shipping1.key  (shipping.schedule.v1 carries the address)
# inventory-service reads no encrypted type and gets no key. The keys exist only in a temporary
# directory, removed on exit.
#
#   k8s/create-encryption-secrets.sh asyncshop-dev
#
# Existing Secrets are left alone (all three are made together, or none); to replace a key, follow README, Security, "Rotating an
# encryption key, step by step".
set -euo pipefail
namespace=${1:?usage: k8s/create-encryption-secrets.sh NAMESPACE}
secrets=(order-service-encryption payment-service-encryption shipping-service-encryption)
existing=0
for secret in "${secrets[@]}"; do
  kubectl -n "$namespace" get secret "$secret" > /dev/null 2>&1 && existing=$((existing + 1))
done
if ((existing == ${#secrets[@]})); then
  echo "The encryption Secrets exist; left as they are"
  exit 0
elif ((existing > 0)); then
  # Made apart, order-service's copy of a key would differ from its reader's.
  echo "Only some of ${secrets[*]} exist; delete them and run this again to make all together" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for key in payment1 shipping1 cards1; do
  (umask 077 && openssl rand -base64 32 > "$work/$key.key")
done
create() { # secret, then the keys it holds
  local secret=$1
  shift
  local files=()
  for key in "$@"; do files+=(--from-file="$key.key=$work/$key.key"); done
  kubectl -n "$namespace" create secret generic "$secret" "${files[@]}"
}
create order-service-encryption payment1 shipping1 cards1
create payment-service-encryption payment1
create shipping-service-encryption shipping1

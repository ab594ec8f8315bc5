#!/usr/bin/env bash
# Makes one Ed25519 signing key pair per service and stores them as the Secrets the Deployments
# mount: <service>-service-signing, with private.pem (that service's key) and the four public keys
# <name>.pub.pem. The private keys exist only in a temporary directory, removed on exit.
#
#   k8s/create-signing-secrets.sh asyncshop-dev
#
# Existing Secrets are left alone; to replace a key, follow README, Security, "Rotating a signing key".
set -euo pipefail
namespace=${1:?usage: k8s/create-signing-secrets.sh NAMESPACE}
services=(order inventory payment shipping)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for name in "${services[@]}"; do
  openssl genpkey -algorithm ed25519 -out "$work/$name.pem"
  openssl pkey -in "$work/$name.pem" -pubout -out "$work/$name.pub.pem"
done
public=()
for name in "${services[@]}"; do public+=(--from-file="$name.pub.pem=$work/$name.pub.pem"); done
for name in "${services[@]}"; do
  if kubectl -n "$namespace" get secret "$name-service-signing" > /dev/null 2>&1; then
    echo "Secret $name-service-signing exists; left as it is"
    continue
  fi
  kubectl -n "$namespace" create secret generic "$name-service-signing" \
    --from-file="private.pem=$work/$name.pem" "${public[@]}"
done

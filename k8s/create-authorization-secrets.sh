#!/usr/bin/env bash
# Makes the Secrets of the authorization server: authorization-server-signing (signing-key.pem, the
# RSA key every instance signs tokens with) and authorization-server-accounts (a random password per
# demo user and a secret per client, as the environment variables it reads). Prints where to find them.
#
#   k8s/create-authorization-secrets.sh asyncshop-dev
#
# Existing Secrets are left alone.
set -euo pipefail
namespace=${1:?usage: k8s/create-authorization-secrets.sh NAMESPACE}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if kubectl -n "$namespace" get secret authorization-server-signing > /dev/null 2>&1; then
  echo "Secret authorization-server-signing exists; left as it is"
else
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/signing-key.pem"
  kubectl -n "$namespace" create secret generic authorization-server-signing \
    --from-file="signing-key.pem=$work/signing-key.pem"
fi
if kubectl -n "$namespace" get secret authorization-server-accounts > /dev/null 2>&1; then
  echo "Secret authorization-server-accounts exists; left as it is"
else
  accounts=()
  for user in ALICE BOB SAM OLIVIA; do
    accounts+=(--from-literal="ASYNCSHOP_AUTHORIZATION_USERS_${user}_PASSWORD=$(openssl rand -hex 12)")
  done
  for client in OPERATIONS LOADGENERATOR MONITORING; do
    accounts+=(--from-literal="ASYNCSHOP_AUTHORIZATION_CLIENTS_${client}_SECRET=$(openssl rand -hex 16)")
  done
  kubectl -n "$namespace" create secret generic authorization-server-accounts "${accounts[@]}"
  echo "Passwords: kubectl -n $namespace get secret authorization-server-accounts -o yaml"
fi

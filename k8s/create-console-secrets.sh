#!/usr/bin/env bash
# Makes the Secret ops-console-client: the ops console's client secret (key client-secret), which
# the console reads as CONSOLE_CLIENT_SECRET and the authorization server as
# ASYNCSHOP_AUTHORIZATION_CONSOLE_SECRET. The dev overlay brings its own (credentials.yaml).
#
#   k8s/create-console-secrets.sh asyncshop
#
# An existing Secret is left alone.
set -euo pipefail
namespace=${1:?usage: k8s/create-console-secrets.sh NAMESPACE}
if kubectl -n "$namespace" get secret ops-console-client > /dev/null 2>&1; then
  echo "Secret ops-console-client exists; left as it is"
else
  kubectl -n "$namespace" create secret generic ops-console-client \
    --from-literal="client-secret=$(openssl rand -hex 16)"
fi

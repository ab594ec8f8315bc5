# syntax=docker/dockerfile:1
# One image recipe for the four services: docker build --build-arg SERVICE=order -t asyncshop/order-service .
# and for the authorization server: --build-arg MODULE=authorization-server.
# The cache mount keeps Maven's repository between builds; it needs BuildKit (Docker 23+, Compose v2, or
# DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1 with docker-compose 1.x).

FROM maven:3.9.9-eclipse-temurin-17 AS build
ARG SERVICE
ARG MODULE=${SERVICE}-service
WORKDIR /src
COPY . .
# The health check needs the port; reading it from the service's own configuration keeps one source
# of truth instead of a second build argument that could drift.
# The cache mount is locked: Compose builds the five images in parallel, and two Maven runs writing
# one repository at once can leave a half-written jar in it. Formatting is the build's check, not the
# image's: a formatting slip fails ./mvnw verify, never an image build.
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    test "${MODULE}" != "-service" && test -d "${MODULE}" \
    && ./mvnw -B -DskipTests -Dspotless.check.skip=true package -pl "${MODULE}" -am \
    && mkdir /out \
    && java -Djarmode=tools -jar "${MODULE}/target/${MODULE}-"*-exec.jar \
         extract --destination /out/extracted \
    && mv /out/extracted/*.jar /out/app.jar && mv /out/extracted/lib /out/lib && rmdir /out/extracted \
    && cp deploy/train-cds.sh /out/ \
    && awk '/^server:/ {s = 1; next} s && /^[^ ]/ {s = 0} s && $1 == "port:" {print $2; exit}' \
         "${MODULE}/src/main/resources/application.yml" > /out/server-port \
    && grep -Eq '^[0-9]+$' /out/server-port

FROM eclipse-temurin:17.0.15_6-jre-jammy
ARG SERVICE
ARG MODULE=${SERVICE}-service
LABEL org.opencontainers.image.title="asyncshop ${MODULE}" \
      org.opencontainers.image.source="asyncshop"
# curl only for HEALTHCHECK; the JRE image does not promise one.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 asyncshop \
    && useradd --system --uid 10001 --gid asyncshop --no-create-home --shell /usr/sbin/nologin asyncshop
WORKDIR /app
COPY --from=build --chown=root:root /out/ /app/
# The class data sharing archive is written here, by the JRE that runs the service, because an
# archive only fits the JVM build that wrote it; it halves the start-up time (docs/benchmarks.md).
RUN sh /app/train-cds.sh /app/app.jar /app/app.jsa && rm /app/train-cds.sh
# Numeric so that Kubernetes' runAsNonRoot can verify it without resolving a name.
USER 10001:10001
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${SERVER_PORT:-$(cat /app/server-port)}/actuator/health/liveness" > /dev/null || exit 1
# Heap follows the container's memory limit: half of it, because a service's non-heap memory
# (metaspace, JIT code, threads, network buffers) takes another 150 MB or so, and the limit in k8s/
# is 512 MiB. Serial GC is what the JVM picks in such a container; naming it keeps the collector the
# same on a node where the JVM would see more memory or cores. An OutOfMemoryError ends the JVM so that the orchestrator restarts it instead of
# leaving a half-working process. Extra flags: JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/app.jsa", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/app.jar"]

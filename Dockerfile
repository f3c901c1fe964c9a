# syntax=docker/dockerfile:1
# One image recipe for the three services; SERVICE picks which. Build from the repository root, e.g.
#   docker build --build-arg SERVICE=content-service --build-arg PORT=8081 -t majlis/content-service .
# docker-compose.yml builds all three this way.
ARG SERVICE=gateway

# 1. Build the service's jar with the committed Maven wrapper, then split it into layers.
FROM eclipse-temurin:17-jdk AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -q -B -DskipTests -pl "$SERVICE" -am package \
 && java -Djarmode=tools -jar "$SERVICE/target/$SERVICE.jar" extract --layers --launcher --destination /layers

# 2. Run it on a JRE as an unprivileged user; the layers that change least come first, so rebuilds are small.
FROM eclipse-temurin:17-jre
ARG SERVICE
ARG PORT=8080
# Where /actuator answers: the service's own port, or the gateway's management port (8090).
ARG MANAGEMENT_PORT=${PORT}
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system majlis \
 && useradd --system --gid majlis --home-dir /app --shell /usr/sbin/nologin majlis
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
USER majlis
# Half of the container's memory is the heap: a service holds 200-250 MiB beside its heap once the heap has been used
# to its end (bench/FINDINGS.md, resident memory), and 75 % of 768 MiB left no room for that. The other options are
# README's recommended ones; direct buffers are capped, since by default they may grow as large as the heap. glibc
# keeps two pools of native memory instead of one per thread up to 8 a core, as the benchmarks run the services.
ENV MAJLIS_HTTP_PORT=${PORT} \
    MAJLIS_HEALTH_PORT=${MANAGEMENT_PORT} \
    MALLOC_ARENA_MAX=2 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+UseSerialGC -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m -Xss512k -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError"
LABEL org.opencontainers.image.title="majlis-${SERVICE}"
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=5 \
  CMD curl -fsS "http://localhost:${MAJLIS_HEALTH_PORT}/actuator/health/readiness" || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]

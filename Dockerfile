# syntax=docker/dockerfile:1
#
# weft container image: ghcr.io/weft-dev/weft:<version>, the Argo executor plugin sidecar
# (argo-plugin/plugin.yaml) and a way to run `weft` without a local JDK.
#
# NOT BUILT IN CI: the CI machine has no Docker engine, so this file is checked by review only.
# Build:  docker build -t ghcr.io/weft-dev/weft:0.1.0 .
# Run:    docker run --rm -p 3000:3000 ghcr.io/weft-dev/weft:0.1.0 \
#           serve --bind 0.0.0.0 --module-dir /modules --insecure-no-auth
#         (outside an Argo agent pod there is no /var/run/argo/token; mount one instead of
#          --insecure-no-auth to test authentication)

# ---- build: the shaded CLI jar (weft-cli/target/weft.jar) and the example modules ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests package -pl weft-cli -am
# Only the built .wasm files go into the image, keeping their directories (hello/hello.wasm, ...).
# The adversarial test modules stay out of the runtime image.
RUN mkdir -p /out/modules \
 && cd examples/modules \
 && find . -name '*.wasm' -not -path './adversarial/*' -exec cp --parents {} /out/modules/ \;

# ---- runtime ----
# JDK 25 runs weft (issue 18, docs/benchmarks.md §3, §4): compiled Wasm is ~1.4x faster than on 17,
# and its ahead-of-time cache cuts start-up. The jar itself targets release 17 and runs on either.
FROM eclipse-temurin:25-jre
# User 65532 (the UID the plugin manifest runs as) with primary group 0. The group matters:
# the Argo agent's init container writes the plugin token (/var/run/argo/token in the sidecar)
# with mode 0440 in a 0770 directory, and a sidecar running as another UID can read it only
# through the group. Group 0 grants no privileges by itself. No home directory: caches go to
# XDG_CACHE_HOME, under /tmp.
RUN useradd --uid 65532 --gid 0 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin weft
ENV XDG_CACHE_HOME=/tmp/.cache
# Lean native memory (docs/benchmarks.md §5.2): glibc keeps at most 2 malloc arenas, and the JVM
# (ENTRYPOINT) returns freed C heap to the system every 5 s. The heap is sized by the manifests
# (argo-plugin/plugin.yaml, manifests/agent), which know the workers and the per-task memory.
ENV MALLOC_ARENA_MAX=2
COPY --from=build /src/weft-cli/target/weft.jar /opt/weft/weft.jar
COPY --from=build /out/modules/ /modules/
# ---- start-up archive (issues 14, 18) ----
# The image is the plugin sidecar, so its training run is the server's: `weft serve --training-run`
# answers one hello step sent to itself over HTTP, waits for the warm start and exits. The classes
# it loaded, linked, with their profiles, go into an AOT cache (JEP 483/514/515) that every later
# start maps. The cache is tied to this jar and this JDK, both fixed in the image, so it is made
# here once. A JVM that cannot use it (other flags, another JDK) starts without it.
RUN java -XX:-DontCompileHugeMethods -XX:LoopUnrollLimit=250 -XX:+ExitOnOutOfMemoryError -XX:AOTCacheOutput=/opt/weft/weft.aot \
      -jar /opt/weft/weft.jar serve --port 0 --insecure-no-auth --no-cache --module-dir /modules \
      --training-run hello/hello.wasm >/dev/null \
 && chmod 0444 /opt/weft/weft.aot
# ---- end of start-up archive ----
USER 65532:0
WORKDIR /tmp
EXPOSE 3000
# -XX:-DontCompileHugeMethods lets HotSpot compile Chicory's validator (over the 8000-byte limit)
# -XX:LoopUnrollLimit=250: C2 unrolls compiled Wasm's inner loops (compute ~level with Node's V8 on
#   this JDK 25; docs/benchmarks.md §3.2)
# -XX:AOTCache: the start-up archive made above
# -XX:TrimNativeHeapInterval=5000: freed C heap goes back to the system
ENTRYPOINT ["java", "-XX:-DontCompileHugeMethods", "-XX:LoopUnrollLimit=250", "-XX:+ExitOnOutOfMemoryError", "-XX:TrimNativeHeapInterval=5000", "-XX:AOTCache=/opt/weft/weft.aot", "-jar", "/opt/weft/weft.jar"]
CMD ["serve"]

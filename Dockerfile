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
FROM eclipse-temurin:17-jre
# User 65532 (the UID the plugin manifest runs as) with primary group 0. The group matters:
# the Argo agent's init container writes the plugin token (/var/run/argo/token in the sidecar)
# with mode 0440 in a 0770 directory, and a sidecar running as another UID can read it only
# through the group. Group 0 grants no privileges by itself. No home directory: caches go to
# XDG_CACHE_HOME, under /tmp.
RUN useradd --uid 65532 --gid 0 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin weft
ENV XDG_CACHE_HOME=/tmp/.cache
COPY --from=build /src/weft-cli/target/weft.jar /opt/weft/weft.jar
COPY --from=build /out/modules/ /modules/
USER 65532:0
WORKDIR /tmp
EXPOSE 3000
# -XX:-DontCompileHugeMethods lets HotSpot compile Chicory's validator (over the 8000-byte limit)
ENTRYPOINT ["java", "-XX:-DontCompileHugeMethods", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/weft/weft.jar"]
CMD ["serve"]

# Multi-stage build of the registry: a full Rust toolchain builds a release binary (SQLite, libpq
# and OpenSSL are compiled in from bundled sources), a slim Debian image runs it as a non-root
# user. scripts/docker-smoke.sh lints this file and proves the runtime stage.
FROM rust:1.95-bookworm AS build
WORKDIR /src
# Dependencies first, in their own layer: rebuilt only when the manifest or lock file change.
# A placeholder crate with the same targets lets cargo build every dependency now.
COPY Cargo.toml Cargo.lock ./
COPY .cargo ./.cargo
RUN mkdir -p src tests/api \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs tests/api/main.rs \
    && cargo build --release --locked --bin enterprise-registry \
    && rm -rf src tests target/release/enterprise-registry* target/release/deps/enterprise_registry-* \
        target/release/deps/libenterprise_registry-* target/release/.fingerprint/enterprise-registry-*
COPY diesel.toml openapi.yaml ./
COPY src ./src
COPY migrations ./migrations
COPY data/reference ./data/reference
RUN cargo build --release --locked --bin enterprise-registry

FROM debian:bookworm-slim
# The data folder exists, owned by the service user, before VOLUME: a fresh named volume takes
# its owner and mode, so the service can create registry.db in it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates=20230311* curl=7.88.* \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 10001 registry \
    && useradd --uid 10001 --gid registry --no-log-init --shell /usr/sbin/nologin \
        --home-dir /var/lib/registry --create-home registry \
    && install -d -o registry -g registry -m 0750 /var/lib/registry/data
COPY --from=build /src/target/release/enterprise-registry /usr/local/bin/enterprise-registry
USER 10001:10001
WORKDIR /var/lib/registry
ENV DATABASE_URL=sqlite:///var/lib/registry/data/registry.db \
    BIND=0.0.0.0:8080 \
    APP_ENV=production \
    RUST_LOG=info
VOLUME ["/var/lib/registry/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["curl", "-fsS", "http://127.0.0.1:8080/healthz"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["enterprise-registry"]
CMD ["serve"]

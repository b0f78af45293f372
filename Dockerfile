# Multi-stage build of the registry: a full Rust toolchain builds a release binary (SQLite and
# libpq are compiled in from bundled sources), a slim Debian image runs it as a non-root user.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock diesel.toml ./
COPY .cargo ./.cargo
COPY src ./src
COPY migrations ./migrations
COPY data/reference ./data/reference
COPY openapi.yaml ./
RUN cargo build --release --locked --bin enterprise-registry

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/registry --create-home registry
COPY --from=build /src/target/release/enterprise-registry /usr/local/bin/enterprise-registry
USER registry
WORKDIR /var/lib/registry
ENV DATABASE_URL=sqlite:///var/lib/registry/data/registry.db \
    BIND=0.0.0.0:8080 \
    APP_ENV=production \
    RUST_LOG=info
VOLUME ["/var/lib/registry/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["enterprise-registry"]
CMD ["serve"]

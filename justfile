# wx developer recipes. The one test command is `cargo test --workspace`.

build:
    cargo build --release -p wx

test:
    cargo test --workspace

# The official spec suite only (WX_SPEC_FILTER=name narrows it).
spec:
    cargo test --test spec

fmt:
    cargo fmt --all

lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings

# Interpreter micro benchmarks (criterion).
bench:
    cargo bench -p wx-runtime

//! Rebuilds the crate when a file of the console (`console/`, embedded by `src/console`)
//! changes: `include_dir!` alone does not tell Cargo about the files it reads.

fn main() {
    println!("cargo:rerun-if-changed=console");
}
